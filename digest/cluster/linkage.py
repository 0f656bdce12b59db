"""Average linkage at a similarity cut, per connected component of the sparse graph of pairs above the cut:
close pairs found from rare terms first, components, and the linkage itself (numpy, or scipy for large ones)."""

from __future__ import annotations

import numpy as np

# Story linkage: cells of a similarity block computed at once (bounds memory, not the result) ...
_PAIR_BLOCK_CELLS = 4_000_000

# ... the largest connected component linked exactly (its condensed distances: 8 bytes a pair) ...
LINKAGE_MAX_ARTICLES = 6000

# ... how much stricter the graph gets, step by step, to cut a larger one ...
SPLIT_STEP = 0.05

# ... and components this small are linked in numpy, without importing scipy's hierarchy.
SMALL_LINKAGE = 48

# Close pairs of many articles: terms held by at least this many rows are left out of the first search
# (see _close_pairs) ...
COMMON_MIN_ROWS = 100

# ... doubled while more than this share of the rows would be heavy (see _close_pairs) ...
HEAVY_MAX_SHARE = 0.05

# ... which inputs of fewer rows skip (their product of all rows is cheap) ...
SPLIT_PAIRS_MIN_ROWS = 2000

# ... a bound this much below the cut still makes a pair a candidate (float error is ~1e-15) ...
_BOUND_MARGIN = 1e-6

# ... and candidate pairs scored exactly at once (each copies both rows: bounds memory, not the result).
_EXACT_PAIRS_CHUNK = 8192

# Look-ups of at least this many values into a sorted array are sorted first (see _sorted_holds).
_SORTED_SEARCH_MIN = 100_000



def _close_pairs(matrix, cut: float) -> tuple[np.ndarray, np.ndarray]:
    """Pairs ``i < j`` of rows whose cosine distance is below ``cut``: the pairs ``_all_close_pairs`` finds.

    Terms held by many rows (``COMMON_MIN_ROWS``) make the product of all rows nearly dense, so pairs are
    first sought by the other terms alone. A row's common terms add at most the product of the two rows'
    norms over them (Cauchy-Schwarz), so a pair whose similarity by the other terms plus that bound is
    below the cut cannot be close. The rest are scored exactly; rows carrying so much common weight that
    two of them could be close on common terms alone are multiplied with every row, as before. Every
    similarity compared with the cut is summed term by term in column order, as the product of all rows
    sums it, so the pairs are the same to the last bit, not merely near.
    """
    matrix = matrix.tocsr()
    n = matrix.shape[0]
    need = 1.0 - cut
    floor = need - _BOUND_MARGIN
    if n < SPLIT_PAIRS_MIN_ROWS or floor <= 0.0 or not matrix.has_sorted_indices:
        return _all_close_pairs(matrix, cut)
    from scipy import sparse

    frequency = np.bincount(matrix.indices, minlength=matrix.shape[1])
    entry_row = np.repeat(np.arange(n), np.diff(matrix.indptr))
    squares = matrix.data * matrix.data
    common_min = COMMON_MIN_ROWS
    while True:
        common = frequency >= common_min
        entry_common = common[matrix.indices]
        common_norm = np.sqrt(np.bincount(entry_row, weights=np.where(entry_common, squares, 0.0), minlength=n))
        # Two light rows share less than floor on common terms: they are close only through another term.
        heavy = common_norm * common_norm >= floor
        # Heavy rows are multiplied with every row. On a big day of many stories on a few topics, thousands
        # of terms are held by COMMON_MIN_ROWS rows, and a third of the rows were heavy (50,000 articles: 97 s
        # here); fewer terms are common then (the same pairs: any split of the terms gives them).
        if heavy.sum() <= HEAVY_MAX_SHARE * n or common_min > n:
            break
        common_min *= 2
    left, right = [], []
    heavy_rows = np.flatnonzero(heavy)
    if len(heavy_rows):
        transposed = matrix.T.tocsr()
        step = max(1, _PAIR_BLOCK_CELLS // max(1, n))
        for start in range(0, len(heavy_rows), step):
            rows_here = heavy_rows[start : start + step]
            block = (matrix[rows_here] @ transposed).tocoo()
            rows = rows_here[block.row]
            close = (rows != block.col) & (np.clip(1.0 - block.data, 0.0, 2.0) < cut)
            a, b = rows[close], block.col[close].astype(np.int64)
            # A pair of two heavy rows is found from both sides: keep it once.
            once = ~heavy[b] | (a < b)
            left.append(np.minimum(a, b)[once])
            right.append(np.maximum(a, b)[once])
    rare = ~entry_common
    rare_indptr = np.concatenate([[0], np.cumsum(np.bincount(entry_row[rare], minlength=n))])
    other = sparse.csr_matrix((matrix.data[rare], matrix.indices[rare], rare_indptr), shape=matrix.shape)
    other_transposed = other.T.tocsr()
    step = max(1, _PAIR_BLOCK_CELLS // max(1, n))
    candidates_left, candidates_right = [], []
    for start in range(0, n, step):
        block = (other[start : start + step] @ other_transposed).tocoo()
        rows = block.row.astype(np.int64) + start
        cols = block.col.astype(np.int64)
        bound = block.data + common_norm[rows] * common_norm[cols]
        maybe = (rows < cols) & ~heavy[rows] & ~heavy[cols] & (bound >= floor)
        candidates_left.append(rows[maybe])
        candidates_right.append(cols[maybe])
    a, b = np.concatenate(candidates_left), np.concatenate(candidates_right)
    close = np.clip(1.0 - _pair_products(matrix, a, b), 0.0, 2.0) < cut
    left.append(a[close])
    right.append(b[close])
    if not left:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    left_all, right_all = np.concatenate(left), np.concatenate(right)
    order = np.lexsort((right_all, left_all))
    return left_all[order], right_all[order]



def _all_close_pairs(matrix, cut: float) -> tuple[np.ndarray, np.ndarray]:
    """Pairs ``i < j`` of rows whose cosine distance is below ``cut``, by the product of all rows, row blocks at a time."""
    left, right = [], []
    transposed = matrix.T.tocsr()
    step = max(1, _PAIR_BLOCK_CELLS // max(1, matrix.shape[0]))
    for start in range(0, matrix.shape[0], step):
        block = (matrix[start : start + step] @ transposed).tocoo()
        rows = block.row + start
        close = (rows < block.col) & (np.clip(1.0 - block.data, 0.0, 2.0) < cut)
        left.append(rows[close])
        right.append(block.col[close])
    return np.concatenate(left), np.concatenate(right)



def _narrow(sub):
    """``sub`` (CSR) with only the columns its rows use, renumbered in the same order: its products have the
    same values, added in the same order, without a pass over every column of a wide vocabulary."""
    from scipy import sparse

    indices = sub.indices[: sub.indptr[-1]]
    used = _sorted_unique(indices)
    local = np.searchsorted(used, indices).astype(np.int32)
    return sparse.csr_matrix((sub.data[: sub.indptr[-1]], local, sub.indptr.copy()), shape=(sub.shape[0], len(used)))



def _gram(sub) -> np.ndarray:
    """Dense ``sub @ sub.T`` of a few rows of a CSR matrix (the same numbers, see ``_narrow``)."""
    narrow = _narrow(sub.tocsr())
    return (narrow @ narrow.T).toarray()



def _grams(matrix, groups: list[np.ndarray]) -> list[np.ndarray]:
    """``_gram(matrix[members])`` of each group of rows, bit for bit: groups of up to ``SMALL_LINKAGE`` rows
    have their pairs scored together, a batch at a time (a gram of a few rows costs scipy's per-call work,
    not arithmetic), larger ones one by one."""
    out: list[np.ndarray | None] = [None] * len(groups)
    small = [k for k, members in enumerate(groups) if len(members) <= SMALL_LINKAGE]
    for k, members in enumerate(groups):
        if len(members) > SMALL_LINKAGE:
            out[k] = _gram(matrix[members])
    if small:
        matrix = matrix.tocsr()
        # Each group's upper triangle, diagonal included, as pairs of rows of the matrix.
        triangles = [np.triu_indices(len(groups[k])) for k in small]
        first = np.concatenate([groups[k][a] for k, (a, _) in zip(small, triangles)]).astype(np.int64)
        second = np.concatenate([groups[k][b] for k, (_, b) in zip(small, triangles)]).astype(np.int64)
        scores = _pair_products(matrix, first, second)
        at = 0
        for k, (a, b) in zip(small, triangles):
            m = len(groups[k])
            gram = np.empty((m, m))
            gram[a, b] = gram[b, a] = scores[at : at + len(a)]
            out[k] = gram
            at += len(a)
    return out  # type: ignore[return-value]



def _pair_products(matrix, first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """``matrix[first[k]] . matrix[second[k]]`` for each k: the two rows' shared terms multiplied and added in
    column order, as the product of all rows adds them (the same bits), ``_EXACT_PAIRS_CHUNK`` pairs at once."""
    ones = np.ones(matrix.shape[1])
    out = np.empty(len(first))
    for start in range(0, len(first), _EXACT_PAIRS_CHUNK):
        i, j = first[start : start + _EXACT_PAIRS_CHUNK], second[start : start + _EXACT_PAIRS_CHUNK]
        out[start : start + len(i)] = matrix[i].multiply(matrix[j]).tocsr() @ ones
    return out



def _components(n: int, left: np.ndarray, right: np.ndarray) -> list[list[int]]:
    """Connected components of the graph on ``n`` nodes with edges ``left[k]``-``right[k]``, each sorted."""
    parent = list(range(n))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in zip(left.tolist(), right.tolist()):
        a, b = root(i), root(j)
        if a != b:
            parent[max(a, b)] = min(a, b)
    members: dict[int, list[int]] = {}
    for i in range(n):
        members.setdefault(root(i), []).append(i)
    return list(members.values())



def _component_groups(matrix, members: np.ndarray, cut: float, split_cut: float) -> list[np.ndarray]:
    """Average-linkage groups (arrays of row numbers of ``matrix``) of one connected component.

    A component too large for its distances to be held (``LINKAGE_MAX_ARTICLES``) is first cut
    into the components of a stricter graph: the only case where stories may differ from
    exact average linkage, and only inside such a component.
    """
    if len(members) <= LINKAGE_MAX_ARTICLES:
        sub = matrix[members]
        local = _small_linkage(_gram(sub), cut) if len(members) <= SMALL_LINKAGE else _scipy_linkage(sub, cut)
        return [members[g] for g in local]
    split_cut -= SPLIT_STEP
    sub = matrix[members]
    if split_cut <= 0.0:  # near-identical texts only: keep them in input order, in blocks
        return [members[k : k + LINKAGE_MAX_ARTICLES] for k in range(0, len(members), LINKAGE_MAX_ARTICLES)]
    left, right = _close_pairs(sub, split_cut)
    groups: list[np.ndarray] = []
    for part in _components(len(members), left, right):
        part = np.asarray(part)
        if len(part) == 1:
            groups.append(members[part])
        else:
            groups.extend(_component_groups(matrix, members[part], cut, split_cut))
    return groups



def _condensed_distances(sub) -> np.ndarray:
    """The upper triangle of the cosine distance matrix of ``sub``'s rows, row by row (scipy's condensed form)."""
    m = sub.shape[0]
    out = np.empty(m * (m - 1) // 2)
    sub = _narrow(sub)
    transposed = sub.T.tocsr()
    step = max(1, _PAIR_BLOCK_CELLS // m)
    at = 0
    for start in range(0, m, step):
        block = (sub[start : start + step] @ transposed).toarray()
        np.subtract(1.0, block, out=block)
        np.clip(block, 0.0, 2.0, out=block)
        for k in range(block.shape[0]):
            row = block[k, start + k + 1 :]
            out[at : at + len(row)] = row
            at += len(row)
    return out



def _scipy_linkage(sub, cut: float) -> list[np.ndarray]:
    """Groups of ``sub``'s rows: scipy's average linkage, merges below ``cut`` kept."""
    from scipy.cluster.hierarchy import linkage

    m = sub.shape[0]
    tree = linkage(_condensed_distances(sub), method="average")
    # Node m + k is the k-th merge; a leaf stands for each node, and leaves are joined as nodes merge.
    leaf = list(range(m)) + [0] * (m - 1)
    parent = list(range(m))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for step, (a, b, distance, _) in enumerate(tree):
        if distance >= cut:  # the tree is sorted by distance: every later merge is farther
            break
        x, y = root(leaf[int(a)]), root(leaf[int(b)])
        parent[max(x, y)] = min(x, y)
        leaf[m + step] = min(x, y)
    groups: dict[int, list[int]] = {}
    for i in range(m):
        groups.setdefault(root(i), []).append(i)
    return [np.asarray(g) for g in groups.values()]



def _small_linkage(similarity: np.ndarray, cut: float) -> list[np.ndarray]:
    """Groups of a few articles (rows of their dense cosine ``similarity``, ``_gram``) by plain average
    linkage (closest pair first).

    Same groups as scipy's (both build the one average-linkage tree), without importing it.
    """
    m = len(similarity)
    distance = np.clip(1.0 - similarity, 0.0, 2.0)
    np.fill_diagonal(distance, np.inf)
    sizes = np.ones(m)
    groups = [[i] for i in range(m)]
    while True:
        i, j = divmod(int(distance.argmin()), m)
        if distance[i, j] >= cut:
            break
        _join_rows(distance, sizes, i, j)
        groups[i] += groups[j]
        groups[j] = []
    return [np.asarray(sorted(g)) for g in groups if g]



def _sorted_unique(values: np.ndarray) -> np.ndarray:
    """``np.unique(values)`` by a sort: numpy 2.4's hash-based unique took 51 s on 10M int64 keys, the sort 0.5 s
    (a 736-article story has millions of match keys)."""
    ordered = np.sort(values)
    return ordered[np.concatenate([ordered[:1] == ordered[:1], ordered[1:] != ordered[:-1]])]



def _sorted_holds(ordered: np.ndarray, values: np.ndarray) -> np.ndarray:
    """``np.isin(values, ordered)`` for sorted unique ``ordered``, by binary search (np.isin hashes too)."""
    if not len(ordered):
        return np.zeros(len(values), dtype=bool)
    if len(values) < _SORTED_SEARCH_MIN:
        at = np.minimum(np.searchsorted(ordered, values), len(ordered) - 1)
        return ordered[at] == values
    # Millions of values in no order make a binary search miss the cache at every step; sorted first, they walk
    # ``ordered`` once (4x faster on the match keys of a 784-article story, the sort included).
    order = np.argsort(values, kind="stable")
    sorted_values = values[order]
    at = np.minimum(np.searchsorted(ordered, sorted_values), len(ordered) - 1)
    found = np.empty(len(values), dtype=bool)
    found[order] = ordered[at] == sorted_values
    return found



def _join_rows(distance: np.ndarray, sizes: np.ndarray, i: int, j: int) -> None:
    """Average linkage, in place: row and column ``i`` become the size-weighted mean of ``i`` and ``j``; ``j`` is retired."""
    merged = (sizes[i] * distance[i] + sizes[j] * distance[j]) / (sizes[i] + sizes[j])
    distance[i, :] = merged
    distance[:, i] = merged
    distance[j, :] = np.inf
    distance[:, j] = np.inf
    distance[i, i] = np.inf
    sizes[i] += sizes[j]

