"""The resolver's ranker: a weight per feature, learned, kept in a small JSON file beside it.

A candidate's score is the weighted sum of its features (resolve_features.FEATURES); the
resolver takes the best and turns the scores into a confidence with a softmax. The weights are
a pairwise logistic regression (scikit-learn) over "the right place versus a wrong one of the
same name", fitted by `python -m geo train resolver` (the trainer is resolve_train.py) and
stored as plain numbers, so reading them needs neither scikit-learn nor pickle.
"""

from __future__ import annotations

import json
from pathlib import Path

MODEL_FILE = Path(__file__).with_name("resolver_model.json")

# Hand-set weights: what the trainer starts from (the first round of contexts is resolved with
# them) and what the resolver uses when no model file is there.
BOOTSTRAP = {
    "country": 3.0, "continent": 3.0, "region": 3.25, "admin1": 1.0, "admin2": 2.5,
    "country_primary": 4.0, "curated": 4.0, "primary": 1.0, "capital": 1.0,
    "logpop": 1.1, "logalt": 0.45, "state_vs_big_city": -1.6,
    "country_share": 1.2, "country_seen": 1.55, "namesake_abroad": -2.0,
    "admin1_named": 1.6, "admin1_shared": 1.0, "admin2_named": 1.5, "near": 1.5,
    "qualifier": 8.0, "qualifier_miss": -2.0,
    "dateline_admin1": 1.0, "dateline_country": 0.5, "region_admin1": 1.5, "region_country": 1.0,
}  # fmt: skip


class Ranker:
    def __init__(self, weights: dict[str, float], meta: dict | None = None):
        self.weights = dict(weights)
        self.meta = meta or {}

    def score(self, features: dict[str, float]) -> float:
        w = self.weights
        return sum(w.get(k, 0.0) * v for k, v in features.items())

    def strongest(self, features: dict[str, float], among: tuple[str, ...]) -> str | None:
        """The feature of `among` that adds most to this score, if any adds at all."""
        best, top = None, 0.0
        for k in among:
            c = self.weights.get(k, 0.0) * features.get(k, 0.0)
            if c > top:
                best, top = k, c
        return best

    def to_json(self) -> dict:
        return {**self.meta, "weights": {k: round(v, 6) for k, v in self.weights.items()}}


def load_ranker(path: Path | None = None) -> Ranker:
    path = Path(path or MODEL_FILE)
    if not path.is_file():
        return Ranker(BOOTSTRAP, {"source": "bootstrap"})
    data = json.loads(path.read_text(encoding="utf-8"))
    return Ranker(data["weights"], {k: v for k, v in data.items() if k != "weights"})


def main(argv: list[str] | None = None) -> int:
    from .resolve_train import main as train

    return train(argv)
