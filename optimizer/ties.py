"""How ties between allocations of equal value are broken, the same way on every path (HiGHS, CBC, the fast
paths, the enumeration): among the allocations of the optimal value, the most value weighted towards lower
ids, and no money to an indsats of no value where it is not needed.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

from optimizer.model import LinearModel

TIE_TOL = 1e-9  # allocations within this relative distance of the optimum count as tied
FACE_TOL = 1e-9  # a reduced cost or dual this small (relative to the objective's scale) counts as zero
SPEND_PENALTY = 1e-3  # second stage: money to an indsats of no value is avoided where it is not needed


def id_preference(model: LinearModel) -> np.ndarray:
    """Per indsats: a weight that falls strictly with its id's sort position, from 2 for the first id.

    The weights are 1 + √p / √p_n for the first n primes p (the first id gets the largest), and square roots
    of distinct primes are linearly independent over the rationals: so two different allocations of equal
    value never also tie in id-weighted value, and the second stage always has one winner.
    """
    inst = model.instance
    roots = np.sqrt(_primes(max(inst.n, 1)))
    weights: np.ndarray = 1.0 + roots[::-1][inst.id_rank] / roots[-1]
    return weights


@lru_cache(maxsize=4)
def _primes(count: int) -> np.ndarray:
    """The first `count` primes (a sieve of Eratosthenes over a bound that holds them all)."""
    bound = max(16, int(count * (math.log(count + 2) + math.log(math.log(count + 2)) + 2)))
    sieve = np.ones(bound + 1, dtype=bool)
    sieve[:2] = False
    for k in range(2, math.isqrt(bound) + 1):
        if sieve[k]:
            sieve[k * k :: k] = False
    return np.flatnonzero(sieve)[:count].astype(float)


def tie_objective(model: LinearModel, scaled: np.ndarray) -> np.ndarray:
    """The second stage's objective for a scaled value objective: each column's value weighted towards lower
    ids; a column of no value costs a little in proportion to its ask, so it is funded only where needed."""
    tie = np.zeros(model.n_cols)
    shares = model.share_cols
    tie[shares] = scaled[shares] * id_preference(model)[:, None]
    cost = model.instance.cost
    idle = (scaled[shares] == 0) & (cost > 0)
    tie[shares[idle]] = -SPEND_PENALTY * cost[idle] / cost.max()
    return tie
