"""Typical imports of an ML Engineer's stack, as shown on the stack slide."""

# ruff: noqa
# fmt: off
# The regions below are the article's code verbatim; keep linters and
# formatters from restyling them, or the slide and the article drift.

# [start:imports]
# Typical imports
import torch
import torch.nn as nn
from sklearn.model_selection import StratifiedKFold
from sklearn.metrics import roc_auc_score
import xgboost as xgb
import mlflow
import optuna
import ray
# [end:imports]
