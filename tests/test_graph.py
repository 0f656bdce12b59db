"""digest.graph: connected components labelled as scipy labels them."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings as hsettings, strategies as st
from scipy import sparse
from scipy.sparse.csgraph import connected_components as scipy_components

from digest.graph import component_labels, connected_components


def test_graph_labels_components_by_their_smallest_node():
    # 0-3-5 and 1-4; 2 and 6 alone: numbered in order of each component's smallest node.
    labels = component_labels(7, [5, 4, 3], [3, 1, 0])
    assert labels.tolist() == [0, 1, 2, 0, 1, 0, 3]


def test_graph_without_edges_is_one_component_a_node():
    assert component_labels(3, [], []).tolist() == [0, 1, 2]


def test_graph_joins_a_long_chain_given_backwards():
    n = 1000
    labels = component_labels(n, np.arange(n - 1, 0, -1), np.arange(n - 2, -1, -1))
    assert set(labels.tolist()) == {0}


@hsettings(max_examples=200, deadline=None)
@given(st.integers(1, 40).flatmap(lambda n: st.tuples(
    st.just(n), st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=3 * n))))
def test_graph_components_are_scipys(case):
    n, edges = case
    rows = [a for a, _ in edges]
    cols = [b for _, b in edges]
    graph = sparse.coo_matrix((np.ones(len(edges), dtype=np.int8), (rows, cols)), shape=(n, n))
    count, labels = connected_components(graph, directed=False)
    expected_count, expected = scipy_components(graph, directed=False)
    assert count == expected_count
    assert labels.tolist() == expected.tolist()


def test_graph_refuses_directed_graphs():
    with pytest.raises(ValueError):
        connected_components(sparse.coo_matrix((2, 2)), directed=True)
