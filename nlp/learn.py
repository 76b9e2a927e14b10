"""``linli nlp learn``: fit per-department word weights and write config/nlp/weights.tsv.

A linear SVM (scikit-learn's LinearSVC, one-vs-rest) over TF-IDF of jieba unigrams and
bigrams (``nlp.features``), trained on long letters (the public data), the same letters
already tokenised by their source, and our short chat messages (weighted up, since they
are few and are what residents actually send). The weights are then pruned to the
strongest ``per_class`` features of each department and the model is fitted again on
just those, so the file holds every weight the runtime uses and the runtime
(``nlp.weights``) reproduces the fit without scikit-learn. scikit-learn is needed only
here: ``pip install -e '.[train]'``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from nlp.dataset import Example
from nlp.engine import Engine
from nlp.features import features
from nlp.weights import HEADER, INTERCEPT, Weights, parse

#: Chosen on a quarter of train.csv held out (near-duplicates removed) and on holdout7 +
#: blind1 left out of training; never on eval.csv or blind2 (README, nlp).
C = 1.0
MESSAGE_WEIGHT = 3
PER_CLASS = 2500


@dataclass(frozen=True)
class Corpus:
    """Token lists and their departments, one pair per training row (repeats included)."""

    tokens: list[list[str]]
    labels: list[str]


def corpus(engine: Engine, letters: Sequence[Example], tokenized: Sequence[Example],
           messages: Sequence[Example]) -> Corpus:
    """Tokenise everything the way the runtime does; pre-tokenised text is re-joined first
    so its words are cut by our dictionary, not its author's. Non-requests are left out."""
    cut = lambda text: engine.tokenizer.cut(engine.normalize(text))  # noqa: E731
    tokens, labels = [], []
    for group, weight, join in ((letters, 1, False), (tokenized, 1, True), (messages, MESSAGE_WEIGHT, False)):
        for e in group:
            if "department" not in e.labels or e.labels.get("kind") == "非诉求":
                continue
            toks = cut(e.text.replace(" ", "") if join else e.text)
            tokens += [toks] * weight
            labels += [e.labels["department"]] * weight
    return Corpus(tokens, labels)


def _fit(data: Corpus, vocabulary: list[str] | None = None):  # noqa: ANN202 - sklearn objects
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    vectorizer = TfidfVectorizer(analyzer=features, sublinear_tf=True, min_df=1 if vocabulary else 2,
                                 vocabulary=vocabulary)
    matrix = vectorizer.fit_transform(data.tokens)
    model = LinearSVC(C=C).fit(matrix, data.labels)
    return vectorizer, model


def train(data: Corpus, per_class: int = PER_CLASS) -> Weights:
    """Fit, keep each department's ``per_class`` strongest features, fit again on them."""
    vectorizer, model = _fit(data)
    names = vectorizer.get_feature_names_out()
    keep: set[str] = set()
    for row in model.coef_ if len(model.classes_) > 2 else (model.coef_[0], -model.coef_[0]):
        keep.update(names[i] for i in row.argsort()[::-1][:per_class])
    vectorizer, model = _fit(data, sorted(keep))
    names = vectorizer.get_feature_names_out()
    idf = dict(zip(names, (float(v) for v in vectorizer.idf_), strict=True))
    coef, intercept = model.coef_, model.intercept_
    if len(model.classes_) == 2:  # a binary fit keeps one row, for the second class
        coef, intercept = [-coef[0], coef[0]], [-intercept[0], intercept[0]]
    columns = list(zip(*coef))
    rows = {name: tuple(round(float(w), 3) for w in columns[i]) for i, name in enumerate(names)}
    return Weights(tuple(model.classes_), tuple(round(float(b), 3) for b in intercept), idf, rows, "weights.tsv")


def to_tsv(weights: Weights, note: str) -> str:
    """The reviewable file: per department, its strongest words first."""
    lines = [f"# {line}" for line in note.splitlines()]
    lines += ["\t".join((HEADER, *weights.classes)),
              "\t".join((INTERCEPT, "0", *(f"{b:g}" for b in weights.intercept)))]
    order = sorted(weights.rows, key=lambda f: (-max(weights.rows[f]), f))
    for feature in order:
        cells = (f"{w:g}" if w else "0" for w in weights.rows[feature])
        lines.append("\t".join((feature, f"{weights.idf[feature]:.3f}", *cells)))
    return "\n".join(lines) + "\n"


def write(weights: Weights, path: Path, note: str) -> Weights:
    """Write the file and read it back, so what was written is what will be scored."""
    text = to_tsv(weights, note)
    path.write_text(text, encoding="utf-8")
    return parse(text, path.name)
