"""What the bot knows, loaded from files as one immutable unit.

`Knowledge` bundles the policy, the intents, the message catalogue, the matcher built on them
and the answer renderer. It is built whole and swapped whole (live reload), so an answer is
never served from a half-loaded set.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from privbot.core.answers import AnswerRenderer
from privbot.core.catalogue import Catalogue
from privbot.core.language import LanguageDetector, NgramScorer
from privbot.core.matching import Matcher
from privbot.core.model import IntentSet, Policy
from privbot.errors import ContentError


@dataclass(frozen=True, slots=True)
class Knowledge:
    """Policy + intents + messages, and the matcher and renderer built from them."""

    policy: Policy
    intents: IntentSet
    catalogue: Catalogue
    matcher: Matcher
    answers: AnswerRenderer


def load_knowledge(
    *,
    contact_email: str,
    corpus_dir: Path | None = None,
    policy_file: Path | None = None,
    intents_dir: Path | None = None,
    messages_dir: Path | None = None,
    ngram_scorer: NgramScorer | None = None,
) -> Knowledge:
    """Load and check everything; raises ContentError with `file:line: message` lines.

    `policy_file` answers from one document instead of the corpus; `intents_dir=None`
    answers from the section text alone. The messages are read from `messages_dir`, by
    default the intents folder (`intents/` when there are no intents).
    """
    # The file readers (YAML, pydantic's schemas) load here: a start from the knowledge
    # cache needs none of them.
    from privbot.content.corpus import load_policy
    from privbot.content.intents import load_intents, silent_problems
    from privbot.content.messages import load_catalogue

    if policy_file is not None:
        policy = load_single_policy(policy_file, contact_email)
    else:
        policy = load_policy(corpus_dir or Path("policy_corpus"), contact_email)
    problems: list[str] = []  # the intents' and the messages' together
    intents = IntentSet(intents=())
    if intents_dir is not None:
        try:
            intents = load_intents(intents_dir, policy.section_ids())
            problems.extend(silent_problems(intents, policy))
        except ContentError as exc:
            problems.extend(exc.problems)
    try:
        catalogue = load_catalogue(messages_dir or intents_dir or Path("intents"))
    except ContentError as exc:
        problems.extend(exc.problems)
    if problems:
        raise ContentError(problems)
    matcher = Matcher(policy, intents, ngram_scorer=ngram_scorer)
    answers = AnswerRenderer(policy, intents, catalogue, contact_email, matcher.term_maker)
    return Knowledge(policy, intents, catalogue, matcher, answers)


def load_single_policy(path: Path, contact_email: str) -> Policy:
    """One policy file (Markdown, HTML or numbered plain text), its language detected."""
    from privbot.content.corpus import parse_policy, render_contact

    text = path.read_text("utf-8")
    language = LanguageDetector({}).detect(text[:4000]).language
    document = render_contact(parse_policy(text, language, str(path)), contact_email)
    return Policy({language: document})
