"""ML Engineer eval: offline metrics, as shown on the "ML eval" slide.

The sample data above the region only makes the file runnable; the slide
shows the region alone.
"""

# ruff: noqa
# fmt: off
# The regions below are the article's code verbatim; keep linters and
# formatters from restyling them, or the slide and the article drift.

y_true = [0, 1, 1, 0, 1, 0, 1, 0]
y_pred_proba = [0.1, 0.8, 0.65, 0.3, 0.9, 0.2, 0.4, 0.55]
y_true_rel = [3, 2, 3, 0, 1, 2]
y_pred_scores = [2.9, 2.1, 2.5, 0.3, 1.2, 1.8]

# [start:metrics]
from sklearn.metrics import (
    roc_auc_score, precision_recall_curve, average_precision_score,
    confusion_matrix, ndcg_score
)

# Classification
auc = roc_auc_score(y_true, y_pred_proba)
ap  = average_precision_score(y_true, y_pred_proba)

# Ranking
ndcg = ndcg_score([y_true_rel], [y_pred_scores], k=10)
# [end:metrics]
