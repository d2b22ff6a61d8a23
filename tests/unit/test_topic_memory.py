"""Topic memory: a short follow-up within a few minutes is read against the previous topic;
only the topic's id is kept, and it expires (the shipped intents, policy and messages)."""

from __future__ import annotations

from datetime import timedelta

from shipped_bot import USER, Bot, text

from privbot.core import choices as ch
from privbot.core.model import RequestType
from privbot.core.topics import TOPIC_MINUTES, continues, points_back


def test_is_that_all_after_retention_says_the_policy_gives_no_more() -> None:
    bot = Bot()
    assert "Conservation" in text(bot.say("combien de temps gardez-vous mes données ?"))
    bot.now += timedelta(minutes=1)
    said = text(bot.say("cest tout? ya pas de duree precise??"))
    assert "C'est tout ce que la politique" in said and "section 5" in said
    assert "privacy@qazar.cloud" in said
    said = text(bot.say("c'est tout ?"))
    assert "section 5" in said


def test_the_topic_is_kept_as_an_id_only_and_expires() -> None:
    bot = Bot()
    bot.say("how long do you keep my data?")
    assert bot.repo.topics[USER].value == ch.section("5")
    bot.now += timedelta(minutes=TOPIC_MINUTES + 1)
    said = text(bot.say("is that all?"))
    assert "That is all the privacy policy says" not in said  # too late: a new question


def test_is_that_all_in_english() -> None:
    bot = Bot()
    bot.say("do you use cookies?")
    said = text(bot.say("is that all?"))
    assert "That is all the privacy policy says" in said and "section 7" in said


def test_more_details_is_about_the_topic_though_details_names_the_contact_section() -> None:
    bot = Bot()
    assert "Section 4" in text(bot.say("comment protégez-vous mes données ?"))
    said = text(bot.say("plus de détails ?"))
    assert "section 4" in said and "Section 14" not in said
    assert "Section 7" in text(bot.say("more details on cookies?"))


def test_a_follow_up_about_a_new_aspect_answers_that_aspect() -> None:
    bot = Bot()
    assert "Section 1" in text(bot.say("what data do you collect?"))
    assert "Section 5" in text(bot.say("and how long?"))
    assert "Section 7" in text(bot.say("et pour les cookies ?"))


def test_kept_how_long_after_collected_data_in_french() -> None:
    bot = Bot()
    bot.say("quelles données collectez-vous ?")
    said = text(bot.say("et vous les gardez combien de temps"))
    assert "Section 5" in said


def test_how_long_after_a_question_about_ones_request_is_its_deadline() -> None:
    bot = Bot()
    ref = bot.submit(RequestType.ACCESS)
    assert ref in text(bot.say("where is my request at?"))
    said = text(bot.say("and how long?"))
    assert "one month" in said and f"Your request {ref}" in said
    assert "Retention" not in said


def test_erasing_the_profile_forgets_the_topic() -> None:
    bot = Bot()
    bot.say("how long do you keep my data?")
    bot.repo.delete_user(USER)
    assert USER not in bot.repo.topics


def test_a_pronoun_follow_up_is_about_the_topic_it_points_back_at() -> None:
    """ "Them" after cookies are the cookies, though "turn off" alone leads to the rights;
    the same words without the topic (or once it has expired) are about the rights."""
    bot = Bot()
    assert "Section 7" in text(bot.say("do you use cookies?"))
    assert "Section 7" in text(bot.say("how can I turn them off?"))
    bot.now += timedelta(minutes=TOPIC_MINUTES + 1)
    assert "Section 6" in text(bot.say("how can I turn them off?"))
    bot.say("vous utilisez des cookies ?")
    assert "Section 7" in text(bot.say("comment je peux les désactiver ?"))


def test_a_pronoun_after_the_data_collected_is_the_data() -> None:
    """After what is collected, "it" is the data: "who gets it?" is about sharing."""
    bot = Bot()
    bot.say("do you collect my location?")
    assert "Section 3" in text(bot.say("who gets it?"))
    bot.say("what data do you collect?")
    assert "Section 5" in text(bot.say("how long do you keep them?"))


def test_which_words_point_back() -> None:
    def back(said: str) -> bool:
        return points_back(said.split())

    assert back("how can i turn them off") and back("is that safe") and back("can i stop that")
    assert back("on peut les refuser") and back("et ca sert a quoi") and back("is it encrypted")
    assert not back("who gets that data") and not back("et pour les cookies")
    assert not back("how long do you keep my data")


def test_an_off_topic_question_after_an_answer_is_no_follow_up() -> None:
    bot = Bot()
    assert "Section 1" in text(bot.say("do you collect sensitive data?"))
    for said in (text(bot.say("who pays for the app?")), text(bot.say("weather tomorrow?"))):
        assert "I can only answer questions about the privacy policy" in said
        assert "That is all the privacy policy says" not in said
    assert "Section 5" in text(bot.say("and for how long?"))  # the topic is still there


def test_short_follow_ups_that_fit_off_topic_a_little_stay_with_the_topic() -> None:
    # each once got the off-topic or the billing reply (a weak off-topic match, no pronoun)
    for opening, follow_up, section in (
        ("do you share my data?", "who?", "section 3"),
        ("do you share my data?", "what about Google?", "section 3"),
        ("do you use cookies?", "how do I turn them off?", "ection 7"),
        ("partagez-vous mes données ?", "à qui ?", "section 3"),
        ("partagez-vous mes données ?", "et Google ?", "section 3"),
        ("vendez-vous mes données ?", "je peux l'arrêter ?", "ection"),
        ("puis-je supprimer mes données ?", "comment faire ?", "ection 6"),
        # a word that fits an off-topic intent well ("Canada": delivery) after "and"
        ("how long do you keep my data?", "and my bank?", "ection 5"),
        ("do you share my data?", "and in Canada?", "ection"),
        ("partagez-vous mes données ?", "même si je paie ?", "ection 3"),
    ):
        bot = Bot()
        bot.say(opening)
        said = text(bot.say(follow_up))
        assert section in said, (opening, follow_up, said)
        assert "questions about the privacy policy" not in said, (opening, follow_up)
        assert "aux questions sur la politique" not in said, (opening, follow_up)
        assert "billing" not in said and "facturation" not in said, (opening, follow_up)


def test_which_unsure_follow_ups_continue_the_topic() -> None:
    assert continues(["what", "about", "them"], (), pointing=True)
    assert continues(["and", "the", "kids"], (), pointing=False)
    assert continues(["kept", "where"], ("KEEP",), pointing=False)
    assert continues(["who"], (), pointing=False)  # nothing of its own
    assert continues(["what", "about", "google"], ("googl",), pointing=False)
    assert not continues(["who", "pays", "for", "the", "app"], ("pay", "app"), pointing=False)


def test_a_practice_asked_of_the_topic_is_answered_by_the_topic_if_it_names_it() -> None:
    """ "Is that safe?" after transfers: their safeguards (section 10), not security in
    general; « combien de temps ? » after sharing: sharing says nothing of it (retention);
    a follow-up naming data itself is about that data."""
    bot = Bot()
    bot.say("do you send my data outside the EU?")
    assert "Section 10" in text(bot.say("is that safe?"))
    bot.say("vous partagez mes données avec des annonceurs ?")
    assert "Section 5" in text(bot.say("ils les gardent combien de temps ?"))
    bot.say("mes données sont-elles envoyées dans d'autres pays ?")
    assert "Section 4" in text(bot.say("mes données sont-elles en sécurité ?"))


def test_a_right_asked_of_the_topic_is_answered_by_the_right_unless_the_topic_offers_it() -> None:
    """ "Can I stop that?" after sharing: sharing offers no choice, the rights section
    answers (with its requests, counted and kept for a 👎 like any answer); after cookies,
    whose section offers the browser's settings, refusing or deleting them stays with cookies
    (not after retention, whose section offers no choice); asking for
    a person or ordering a deletion is not a question about a right."""
    bot = Bot()
    assert "Section 3" in text(bot.say("who do you share my data with?"))
    said = text(bot.say("can I stop that?"))
    assert "Section 6" in said and "Objection" in said
    kept = bot.repo.topics[USER]
    assert kept.value == ch.section("6") and kept.question is not None  # for a 👎
    assert "Section 10" in text(bot.say("do you transfer my data abroad?"))
    assert "Section 6" in text(bot.say("can I object to that?"))
    bot.say("vous partagez mes données avec qui ?")
    assert "Section 6" in text(bot.say("est-ce que je peux les faire supprimer ?"))
    for follow_up in ("can I refuse them?", "can I delete them?"):
        bot.say("do you use cookies?")
        assert "Section 7" in text(bot.say(follow_up)), follow_up
    bot.say("vous utilisez des cookies ?")
    assert "Section 7" in text(bot.say("est-ce que je peux les supprimer ?"))
    bot.say("how long do you keep my data?")
    assert "Section 6" in text(bot.say("can I delete it?"))
    bot.say("who do you share my data with?")
    assert "Section 6" not in text(bot.say("can I speak to someone to delete it?"))
    bot.say("who do you share my data with?")
    assert "Section 3" not in text(bot.say("delete it"))  # an order: the request, not an answer
