"""Connected components of an undirected graph, in numpy.

``scipy.sparse.csgraph`` gives the same labels but importing it pulls in ``scipy.sparse.linalg`` and
``scipy.linalg`` (about 0.2 s of a five-article run that needs nothing else from them).
"""

from __future__ import annotations

import numpy as np


def component_labels(n: int, left, right) -> np.ndarray:
    """Component label of each of ``n`` nodes joined by the edges ``left[k]``-``right[k]``.

    Labels are numbered 0, 1, ... in order of each component's smallest node, as
    ``scipy.sparse.csgraph.connected_components`` numbers them. Each round hooks the larger
    of an edge's two roots under the smaller one and then points every node at its root, so
    the rounds are few (about the log of the largest component) and each is a few array passes.
    """
    parent = np.arange(n)
    left = np.asarray(left, dtype=np.int64)
    right = np.asarray(right, dtype=np.int64)
    while len(left):
        low = np.minimum(parent[left], parent[right])
        high = np.maximum(parent[left], parent[right])
        apart = low != high
        if not apart.any():
            break
        # Roots only ever point lower, so a component's root ends as its smallest node.
        np.minimum.at(parent, high[apart], low[apart])
        while True:
            grand = parent[parent]
            if np.array_equal(grand, parent):
                break
            parent = grand
        left, right = left[apart], right[apart]  # edges already inside one component stay so
    return np.unique(parent, return_inverse=True)[1].astype(np.int32)


def connected_components(graph, directed: bool = False) -> tuple[int, np.ndarray]:
    """``scipy.sparse.csgraph.connected_components(graph, directed=False)`` for a sparse ``graph``:
    the number of components and each node's label (see ``component_labels``)."""
    if directed:
        raise ValueError("only undirected graphs")
    edges = graph.tocoo()
    labels = component_labels(graph.shape[0], edges.row, edges.col)
    return int(labels.max(initial=-1)) + 1, labels
