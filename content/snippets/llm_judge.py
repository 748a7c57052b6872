"""AI Engineer eval: LLM-as-judge, shown on two slides (the prompt, the call)."""

# ruff: noqa
# fmt: off
# The regions below are the article's code verbatim; keep linters and
# formatters from restyling them, or the slide and the article drift.

# [start:prompt]
from anthropic import Anthropic

client = Anthropic()

JUDGE_PROMPT = """Score the assistant's answer 1-5 on factual grounding.
A 5 means every claim is supported by the provided context.
A 1 means the answer contradicts or invents facts.

Question: {q}
Context: {ctx}
Answer:   {a}

Return ONLY a single integer."""
# [end:prompt]


# [start:judge]
def judge(q: str, ctx: str, a: str) -> int:
    msg = client.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=4,
        messages=[{"role": "user",
                   "content": JUDGE_PROMPT.format(q=q, ctx=ctx, a=a)}],
    )
    return int(msg.content[0].text.strip())
# [end:judge]
