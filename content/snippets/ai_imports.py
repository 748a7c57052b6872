"""Typical imports of an AI Engineer's stack, as shown on the stack slide."""

# ruff: noqa
# fmt: off
# The regions below are the article's code verbatim; keep linters and
# formatters from restyling them, or the slide and the article drift.

# [start:imports]
# Typical imports
from anthropic import Anthropic
from openai import OpenAI
from sentence_transformers import SentenceTransformer
from langchain_core.runnables import RunnableLambda
from llama_index.core import VectorStoreIndex
import instructor
from pydantic import BaseModel
# [end:imports]
