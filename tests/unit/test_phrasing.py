"""How a message is put: question, order, wish, or a question about a right."""

from __future__ import annotations

import pytest

from privbot.core.lexicon import concept_words
from privbot.core.phrasing import (
    Asking,
    about_others,
    asks_about,
    asks_who,
    forbidden_verb,
    is_order,
    is_polite_order,
    wishes,
)
from privbot.core.text import normalise, tokens

WISH = concept_words("WANT")


def words(text: str) -> list[str]:
    return tokens(normalise(text))


@pytest.mark.parametrize(
    ("text", "order"),
    [
        ("delete my data", True),
        ("supprimez mes données", True),
        ("supprimez-moi de vos fichiers", True),
        ("vendez-vous mes données", False),  # the subject after the verb: a question
        ("please send me a copy", True),
        ("send my info in a format I can reuse", True),
        ("can I delete my data?", False),
        ("chez vous mes données sont-elles sûres", False),
        ("how long do you keep my data", False),
    ],
)
def test_orders(text: str, order: bool) -> None:
    assert is_order(text, words(text)) is order


def test_polite_orders_need_a_modal_and_you() -> None:
    assert is_polite_order(words("could you please delete my account"))
    assert is_polite_order(words("pouvez-vous supprimer mon compte"))
    assert not is_polite_order(words("do you sell my data"))
    assert not is_polite_order(words("can I delete my data"))
    # nobody asks a company to sell or track: that asks what it does
    assert not is_polite_order(words("will you sell my information to facebook"))
    assert not is_polite_order(words("allez-vous vendre mes données"))
    assert is_polite_order(words("will you stop selling my data"))


def test_conditional_and_knowing_are_not_wishes() -> None:
    assert wishes(words("I want my data deleted"), WISH)
    assert wishes(words("je veux supprimer mon compte"), WISH)
    assert not wishes(words("could I have my account deleted if I wanted?"), WISH)
    assert not wishes(words("je voudrais savoir si je peux supprimer mon compte"), WISH)
    assert not wishes(words("je ne veux pas supprimer mon compte"), WISH)


def test_someone_elses_wish_is_not_the_users() -> None:
    assert not wishes(words("why do you want permission to access my location?"), WISH)
    assert not wishes(words("pourquoi l'appli veut ma position"), WISH)
    assert wishes(words("i want you to delete my location"), WISH)
    assert wishes(words("je veux que vous supprimiez ma position"), WISH)


def test_a_wish_then_how_asks_how() -> None:
    assert not wishes(words("je souhaite supprimer mon compte. Comment faire ?"), WISH)
    assert not wishes(words("i want to erase my data, how do i do that?"), WISH)
    assert wishes(words("i want to erase my data"), WISH)


@pytest.mark.parametrize(
    ("text", "about"),
    [
        ("can I delete my data?", Asking.RIGHT),
        ("do I have the right to see my data", Asking.RIGHT),
        ("je ne veux pas supprimer mon compte, juste savoir si c'est possible", Asking.RIGHT),
        ("est-ce que vous vendez mes données ?", Asking.PRACTICE),
        ("je voudrais savoir si vous transmettez mes données", Asking.PRACTICE),
        ("could you delete my account?", None),
        ("delete my data?", None),
        ("I want to delete my data", None),
        ("I don't want my data used for marketing", None),
        # Someone else as the subject: what happens, not a wish for a copy.
        ("does the app access my photos?", Asking.PRACTICE),
        ("est-ce que l'appli accède à mes contacts ?", Asking.PRACTICE),
        ("who has access to my information?", Asking.PRACTICE),
        ("can anyone see my workouts?", Asking.PRACTICE),
        ("vous avez quoi comme données sur moi", Asking.PRACTICE),
        # Seeing is not an order, even put politely; sending is.
        ("can you see my contacts?", Asking.PRACTICE),
        ("could you send me my data?", None),
        # The user is the subject; "you" comes later, in what is asked about.
        ("can I see what information you store about me?", Asking.RIGHT),
        ("est-ce que je peux voir les données que vous avez sur moi ?", Asking.RIGHT),
        # A yes/no question that orders nothing asks what happens.
        ("will I get targeted ads?", Asking.PRACTICE),
        ("do not sell my personal information", None),
        ("don't share my data?", None),
        # A question mark before a remark still makes a question.
        ("you don't sell my data? really!", Asking.PRACTICE),
        ("vous ne vendez pas mes données ? vraiment !", Asking.PRACTICE),
    ],
)
def test_questions_about_a_right(text: str, about: Asking | None) -> None:
    w = words(text)
    right = bool({"right", "rights", "droit", "droits"} & set(w))
    ask = bool({"can", "could", "how", "peux", "possible", "comment"} & set(w))
    assert asks_about(text, w, wish=wishes(w, WISH), right=right, ask=ask) is about


def test_the_subject_of_a_question() -> None:
    assert about_others(words("does the app read my messages"))
    assert about_others(words("can other people see my profile"))
    assert about_others(words("est-ce que quelqu'un peut voir mes infos"))
    assert not about_others(words("can I see my data"))
    assert not about_others(words("est-ce que je peux supprimer mon compte"))
    # an impersonal "it" is nobody; "it" the app is someone
    assert not about_others(words("est-il possible de désactiver les publicités ciblées ?"))
    assert not about_others(words("is it possible to opt out of targeted ads?"))
    assert about_others(words("is it tracking my location?"))


def test_who_questions() -> None:
    assert asks_who(words("who can see my data?"))
    assert asks_who(words("et qui a accès à mes infos ?"))
    assert not asks_who(words("the data that you hold, who knows"))


def test_the_app_as_the_subject_of_seeing() -> None:
    from privbot.core.phrasing import app_perceives

    assert app_perceives("does the app access my photos".split())
    assert app_perceives("est ce que l appli accede a mes photos".split())
    assert not app_perceives("can i access my data".split())
    assert not app_perceives("can other people see my workouts".split())
    assert not app_perceives("does the app sell my photos".split())
    assert app_perceives("does this have access to my speaker".split())
    assert app_perceives("how much of my data is accessed".split())
    assert app_perceives("can my location be accessed by the app".split())
    assert not app_perceives("can my data be seen by others".split())
    assert not app_perceives("your data is accessed only by our staff".split())
    # later in the question: a modal beside the app, then seeing
    assert app_perceives("what kind of data can apps access".split())
    assert app_perceives("how can i tell what information an app will access".split())
    assert app_perceives("apple peut il avoir acces a vos contacts".split())
    assert not app_perceives("how can i access my data".split())
    assert not app_perceives("if i use this app can they see what i type".split())
    assert not app_perceives("what other apps will this one have access to".split())


def test_the_app_sending_something_away() -> None:
    from privbot.core.phrasing import app_sends

    assert app_sends("does the app send my data anywhere".split())
    assert app_sends("does it report what i search".split())
    assert app_sends("what data can the app upload".split())
    assert not app_sends("send me my data".split())
    assert not app_sends("can i send you my documents".split())


def test_an_order_not_to_do_something_is_told_from_a_question() -> None:
    def f(text: str) -> str | None:
        words = tokens(normalise(text))
        at = forbidden_verb(text, words)
        return None if at is None else words[at]

    assert f("don't share my data with anyone") == "share"
    assert f("please never sell my data") == "sell"
    assert f("do not track me") == "track"
    assert f("ne partagez plus mes données") == "partagez"
    assert f("ne les partagez pas") == "partagez"
    assert f("n'utilisez plus mes données") == "utilisez"
    assert f("je ne souhaite plus que vous transmettiez mon adresse") == "transmettiez"
    for text in (
        "don't you share my data?",
        "don't you share my data",
        "ne partagez-vous pas mes données",
        "never mind, do you share my data",
        "don't care if you share my data",
        "don't trust apps that share your data",
        "Ne soyez pas surpris, vous partagez mes données",
        "share my data",
        "je ne sais pas",
    ):
        assert f(text) is None, text
