"""Canonical terms: a kind of data stands for data, a who-question for other people."""

from __future__ import annotations

import pytest

from privbot.core.model import Language
from privbot.core.terms import TermMaker


def test_a_kind_of_data_is_data_in_both_languages() -> None:
    maker = TermMaker()
    for text, lang in (("my photos", Language.EN), ("mes photos", Language.FR)):
        terms = maker.terms(text, lang)
        assert {"PHONECONTENT", "DATA"} <= set(terms), terms
    assert {"SENSITIVE", "DATA"} <= set(maker.terms("mes données de santé", Language.FR))
    assert {"MONITOR", "COLLECT"} <= set(maker.terms("do you track me", Language.EN))


def test_asking_who_sees_names_other_people() -> None:
    maker = TermMaker()
    assert "OTHERS" in maker.terms("who can see my data", Language.EN)
    assert "OTHERS" in maker.terms("qui a accès à mes infos", Language.FR)
    assert "OTHERS" not in maker.terms("can I see my data", Language.EN)
    # after a title or a remark, the question's own start counts
    assert "OTHERS" in maker.terms("Accès aux données : qui peut les obtenir ?", Language.FR)
    assert "OTHERS" not in maker.terms("Accès aux données : puis-je les obtenir ?", Language.FR)


def test_paying_is_not_a_country() -> None:
    maker = TermMaker()
    assert "PAYMENT" in maker.terms("do i need to pay", Language.EN)
    assert "ABROAD" in maker.terms("dans quels pays", Language.FR)
    # « payé » shares its stem with « pays »
    terms = maker.terms("j'ai payé deux fois", Language.FR)
    assert "PAYMENT" in terms and "ABROAD" not in terms, terms


def test_words_that_only_look_like_a_concept() -> None:
    maker = TermMaker()
    # "during" stems like « durée »; "right now" names no right
    assert "DURATION" not in maker.terms("why a selfie during signup", Language.EN)
    assert "DURATION" not in maker.terms("ma position durant mes trajets", Language.FR)
    assert "DURATION" in maker.terms("pendant combien de temps", Language.FR)
    assert "RIGHT" not in maker.terms("what data is collected right now", Language.EN)
    assert "RIGHT" in maker.terms("do i have the right to know", Language.EN)


def test_french_phrases_read_as_one_word() -> None:
    maker = TermMaker()
    # someone asking the user is no request of the user's
    assert "WANT" not in maker.terms("Google nous demande-t-il notre âge ?", Language.FR)
    assert "WANT" in maker.terms("je demande la suppression", Language.FR)
    # what is done with data is its use
    assert "USE" in maker.terms("que fait l'IA de mes données ?", Language.FR)


def test_the_us_and_staying_safe() -> None:
    maker = TermMaker()
    assert "ABROAD" in maker.terms("is my data kept in the US?", Language.EN)
    assert "ABROAD" not in maker.terms("can you send it to us", Language.EN)
    # staying safe oneself is no security of ours
    assert "SECURE" not in maker.terms("how do I stay safe on dating apps?", Language.EN)
    assert "SECURE" not in maker.terms("comment rester en sécurité en ligne", Language.FR)
    assert "SECURE" in maker.terms("is my data safe?", Language.EN)


def test_tracking_a_parcel_is_no_watching() -> None:
    maker = TermMaker()
    for text in ("how can I track my order status?", "my tracking says delivered"):
        terms = maker.terms(text, Language.EN)
        assert not {"MONITOR", "COOKIE"} & set(terms), terms
    assert "MONITOR" in maker.terms("do you track what I do on other sites", Language.EN)


def test_the_app_seeing_something_is_collecting_it() -> None:
    maker = TermMaker()
    for text, lang in (
        ("can the app access my location?", Language.EN),
        ("will it be able to see my photos", Language.EN),
        ("vous avez accès à mes contacts ?", Language.FR),
    ):
        terms = maker.terms(text, lang)
        assert "COLLECT" in terms and "COPY" not in terms and "SEE" not in terms, (text, terms)
    # the app asking for access is the app's wish, not the user's
    for text, lang in (
        ("why does the app ask for access to my contacts?", Language.EN),
        ("pourquoi l'appli demande l'accès à mes contacts ?", Language.FR),
    ):
        terms = maker.terms(text, lang)
        assert "COLLECT" in terms and not {"COPY", "WANT"} & set(terms), (text, terms)
    assert "COPY" in maker.terms("can I ask for access to my data?", Language.EN)
    # the app sending data away is collecting it, unless another practice is named
    assert "COLLECT" in maker.terms("does the app send my data anywhere?", Language.EN)
    assert "COLLECT" in maker.terms("does it report what I search?", Language.EN)
    assert "COLLECT" not in maker.terms("can you send me my data?", Language.EN)
    assert "COLLECT" not in maker.terms("will the app send or keep my data?", Language.EN)
    # the user seeing or getting their own data is still a copy
    assert "COPY" in maker.terms("can i access my data", Language.EN)
    assert "OTHERS" in maker.terms("who can access my photos", Language.EN)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("how do I start tracking my goals?", Language.EN),
        ("can I record my workouts?", Language.EN),
        ("je peux enregistrer mes séances ?", Language.FR),
    ],
)
def test_the_user_watching_their_own_things_is_no_practice(text: str, lang: Language) -> None:
    assert not {"MONITOR", "COOKIE", "COLLECT"} & set(TermMaker().terms(text, lang))


def test_the_user_watched_is_still_a_practice() -> None:
    maker = TermMaker()
    for text in ("am I being tracked?", "do you record my calls?", "I don't want to be tracked"):
        assert {"MONITOR", "COLLECT"} <= set(maker.terms(text, Language.EN)), text
    assert "COOKIE" in maker.terms("can I stop you from tracking me?", Language.EN)


def test_the_policy_owner_names_no_topic() -> None:
    text = "does the company share my data with other companies?"
    section_text = TermMaker(function_words=False)
    # "the company" is the policy's owner; "other companies" are third parties
    assert section_text.terms(text, Language.EN).count("THIRDPARTY") == 1
    assert "LINK" not in section_text.terms("le site vend-il mes données", Language.FR)
    # with intents, the owner is still a word of its own, as examples have it
    with_intents = TermMaker()
    assert with_intents.terms(text, Language.EN).count("THIRDPARTY") == 1
    assert "compani" in with_intents.terms(text, Language.EN)
    assert "LINK" not in with_intents.terms("le site vend-il mes données", Language.FR)


def test_against_section_text_interchangeable_words_count_by_their_concept() -> None:
    section_text = TermMaker(function_words=False)
    assert section_text.terms("how is my data used", Language.EN) == ["DATA", "USE"]
    assert section_text.terms("how is my information used", Language.EN) == ["DATA", "USE"]
    assert TermMaker().terms("my data", Language.EN) == ["dat", "DATA"]


def test_phrases_mean_what_their_words_mean_together() -> None:
    maker = TermMaker()
    assert "SELL" not in maker.terms("is this product sold out", Language.EN)
    assert "SELL" in maker.terms("is my data sold", Language.EN)
    assert "LOG" not in maker.terms("can i log in with google", Language.EN)
    assert "OBJECT" in maker.terms("can i opt-out of sharing", Language.EN)
    assert "SECURE" in maker.terms("is there two step verification", Language.EN)
    assert "COOKIE" not in maker.terms("what is the habit tracker for?", Language.EN)
    assert "COOKIE" in maker.terms("is there an ad tracker in the app?", Language.EN)
    # a phrase is whole words in a row, never parts of other words
    assert "OBJECT" not in maker.terms("opt for outdoor mode", Language.EN)


def test_french_lexicon_reads_modals_scans_and_the_privacy_notice() -> None:
    maker = TermMaker()
    # « doit » is a modal, never corrected to « droit »
    assert "RIGHT" not in maker.terms("pourquoi un jeu doit accéder au micro", Language.FR)
    assert "MONITOR" in maker.terms("Facebook scanne-t-il vos photos ?", Language.FR)
    notice = maker.terms("l'objet de la déclaration de protection des données", Language.FR)
    assert "POLICY" in notice and "SECURE" not in notice
    assert "SECURE" in maker.terms("quelle protection pour mes données", Language.FR)


def test_a_real_word_is_never_corrected_into_a_privacy_word() -> None:
    maker = TermMaker()
    maker.learn(
        ["sold", "securely", "object", "transit", "transmettez", "personnelles", "what", "limiter"]
    )
    # everyday words, and other forms of them, are left as they are
    for word in ("told", "secretly", "objet", "transmit", "transmitted", "publishes", "eliminer"):
        assert maker.correct(word) == word, word
    assert "SELL" not in maker.terms("nobody told me", Language.EN, fix_typos=True)
    # a misspelling of a known word is still corrected
    assert maker.correct("personelles") == "personnelles"
    assert maker.correct("wht") == "what"


def test_a_frequent_word_keeps_its_meaning() -> None:
    maker = TermMaker()
    maker.learn(["increase", "vendu", "tiers", "breach", "veux", "erase", "retention", "privacy"])
    # each was once "corrected" into the privacy word beside it
    for word in ("decrease", "venu", "tiens", "breath", "eux", "ease", "reception"):
        assert maker.correct(word) == word, word
    assert "SELL" not in maker.terms("il est venu hier", Language.FR, fix_typos=True)
    assert maker.correct("pirvacy") == "privacy"


def test_a_short_word_is_corrected_only_for_a_letter_missing_added_or_swapped() -> None:
    maker = TermMaker()
    maker.learn(["uses", "data", "app"])
    assert maker.correct("usps") == "usps"  # one letter changed: another word
    assert maker.correct("dta") == "data"
    assert maker.correct("daat") == "data"
    assert maker.correct("mapp") == "app"


def test_a_word_that_only_shares_a_stem_names_no_concept() -> None:
    maker = TermMaker()
    # each once took the concept of a privacy word its stem resembles
    for word, language, concept in (
        ("voici", Language.FR, "PHONECONTENT"),  # voice
        ("logement", Language.FR, "LOG"),
        ("notamment", Language.FR, "NEG"),  # not
        ("fini", Language.FR, "PURPOSE"),  # « fin »
        ("according", Language.EN, "CONSENT"),  # « accord »
        ("kidding", Language.EN, "CHILD"),
        ("retired", Language.EN, "WITHDRAW"),
    ):
        assert concept not in maker.word_terms(word, language), word
    assert "LAW" in maker.word_terms("police", Language.FR)  # the concept's own words stay


def test_a_french_word_spelt_like_an_english_one_keeps_its_french_meaning() -> None:
    maker = TermMaker()
    assert "NEG" not in maker.terms("les données dont vous disposez", Language.FR)
    assert "LAW" not in maker.terms("le délai est court", Language.FR)
    assert "NEG" in maker.terms("dont sell my data", Language.EN)
    assert "THIRDPARTY" in maker.terms("les tiers ont-ils accès ?", Language.FR)
    assert "THIRDPARTY" not in maker.terms("what are the pricing tiers?", Language.EN)


def test_a_frequent_word_blocks_no_typo_of_another_word() -> None:
    maker = TermMaker()
    maker.learn(["collected", "shared", "health", "secure", "privacy"])
    # "collet" and "hare" are frequent words; their look-alike typos are still mended
    assert maker.correct("colleted") == "collected"
    assert maker.correct("hared") == "shared"
    assert maker.correct("heath") == "health"
    # a negated word keeps its section: "insecure" is read as "secure"
    assert "SECURE" in maker.terms("is the connection insecure?", Language.EN, fix_typos=True)


def test_negation_is_its_listed_words_not_their_stems() -> None:
    maker = TermMaker()
    for word, language in (("donnes", Language.FR), ("notez", Language.FR), ("arena", Language.EN)):
        assert "NEG" not in maker.word_terms(word, language), word
    assert "NEG" in maker.terms("I don't want you to sell my data", Language.EN)
    assert "NEG" in maker.terms("ne vendez jamais mes données", Language.FR)


def test_the_words_of_storing_safely_and_where_name_their_concepts() -> None:
    maker = TermMaker()
    # "plaintext" once stemmed like « plainte », a complaint
    terms = maker.terms("why are you storing passwords in plaintext?", Language.EN)
    assert "SECURE" in terms and "COMPLAINT" not in terms
    assert "SECURE" in maker.terms("are passwords kept in plain text?", Language.EN)
    assert "SECURE" in maker.terms("do you use hashing and salting?", Language.EN)
    assert "SECURE" in maker.terms("comment protégeons-nous vos informations ?", Language.FR)
    assert "KEEP" in maker.terms("où conservons-nous vos données ?", Language.FR)
    # a plural noun before « nous » keeps its « -s »: « raisons » is no « raise »
    assert "raison" in maker.terms("pour quelles raisons nous utilisons vos données", Language.FR)
    assert "CONSENT" not in maker.terms("quelles permissions nous sont demandées ?", Language.FR)
    assert "SECURE" in maker.terms("y a-t-il des failles ?", Language.FR)
    assert "KEEP" in maker.terms("les données archivées", Language.FR)
    assert "ABROAD" in maker.terms("in which jurisdiction is my data?", Language.EN)
    assert "ABROAD" in maker.terms("EU data residency", Language.EN)
    # a data centre is not abroad by itself: « vos centres de données sont-ils sécurisés ? »
    assert "ABROAD" not in maker.terms("where is your data center?", Language.EN)
    assert "ABROAD" not in maker.terms("je suis américain", Language.FR)  # a person
    # « demande-t-on » is someone asking the user, no request of theirs
    assert "WANT" not in maker.terms("pourquoi demande-t-on mon numéro ?", Language.FR)


def test_leaving_the_service_is_the_circumstance_of_a_question_not_a_deletion() -> None:
    maker = TermMaker()
    for text, lang in (
        ("what happens to my data when I cancel my account?", Language.EN),
        ("do you keep my data after I close my account?", Language.EN),
        ("que deviennent mes données si je supprime mon compte ?", Language.FR),
    ):
        terms = maker.terms(text, lang)
        assert "LEAVE" in terms and "DELETE" not in terms, text
    assert "LEAVE" in maker.terms("do you keep my data after account deletion?", Language.EN)
    assert "LEAVE" in maker.terms("what about my data after account cancellation?", Language.EN)
    assert "LEAVE" in maker.terms("once my account is deleted, is my data gone?", Language.EN)
    # deleting asked for, or with no account or app named, is still deleting; so is a polite
    # order ("if possible, ..."), and asking when or whether one may
    for text in (
        "I want to delete my account",
        "if you delete my data, is it gone?",
        "if possible, delete my account",
        "once you get this, delete my account",
        "when can I delete my account?",
        "I wonder if I can delete my account",
        "if I need to delete my account, who do I contact?",
    ):
        assert "LEAVE" not in maker.terms(text, Language.EN), text


def test_bankruptcy_and_canvassing_name_their_concepts() -> None:
    maker = TermMaker()
    assert "MERGER" in maker.terms("what if the company goes bankrupt?", Language.EN)
    assert "MERGER" in maker.terms("en cas de faillite ?", Language.FR)
    assert "MERGER" in maker.terms("la vente d'un fonds de commerce", Language.FR)
    # a sale of stock or of copyright is no business transfer
    assert "MERGER" not in maker.terms("la liquidation des stocks", Language.FR)
    assert "MERGER" not in maker.terms("la cession de mes droits d'auteur", Language.FR)
    assert "MARKETING" in maker.terms("comment ne plus être démarché ?", Language.FR)
    assert "MARKETING" in maker.terms("j'ai été démarché par téléphone", Language.FR)
    assert "MARKETING" not in maker.terms("quelle démarche pour supprimer ?", Language.FR)
    # a product complaint is no complaint to a regulator
    assert "COMPLAINT" not in maker.terms("I'm not satisfied with the app's speed", Language.EN)


def test_an_app_shop_is_no_storing() -> None:
    maker = TermMaker()
    assert "KEEP" not in maker.terms("is the app on the Google Play Store?", Language.EN)
    assert "KEEP" in maker.terms("does Microsoft store my data?", Language.EN)
    assert "KEEP" in maker.terms("does the app store my home address?", Language.EN)


def test_quebec_personal_information_reads_as_personal_data() -> None:
    maker = TermMaker()
    assert maker.terms("mes renseignements personnels", Language.FR) == maker.terms(
        "mes données personnelles", Language.FR
    )


def test_a_developers_words_name_their_concepts() -> None:
    maker = TermMaker()
    en = Language.EN
    # "e2ee" was corrected to "eee", the European Economic Area
    assert "SECURE" in maker.terms("is it e2ee?", en) and "EUROPE" not in maker.terms("e2ee", en)
    assert "SECURE" in maker.terms("is it end-to-end encrypted?", en)
    assert "LOG" in maker.terms("do you collect crash reports?", en)
    assert "LOG" not in maker.terms("the app crashes", en)  # a crash alone is off-topic
    assert "PHONECONTENT" not in maker.terms("do you log the API calls?", en)
    assert "COLLECT" in maker.terms("does it phone home?", en)
    assert "COOKIE" in maker.terms("do you use browser fingerprinting?", en)
    assert "SENSITIVE" in maker.terms("do you keep my fingerprint?", en)
    assert "ANALYTICS" in maker.terms("is Sentry or Firebase in the app?", en)
    assert "THIRDPARTY" in maker.terms("which sub-processors do you use?", en)
    assert "THIRDPARTY" not in maker.terms("what processor do I need?", en)
    assert "PERSONALISE" not in maker.terms("the profiler shows high CPU", en)
    assert "PERSONALISE" in maker.terms("arrêtez de me profiler", Language.FR)


def test_the_french_words_of_processors_trackers_and_newsletters() -> None:
    maker = TermMaker()
    fr = Language.FR
    assert "THIRDPARTY" in maker.terms("qui sont vos sous-traitants ?", fr)
    assert "MONITOR" in maker.terms("y a-t-il du traçage ?", fr)
    assert "COOKIE" in maker.terms("faites-vous de l'empreinte numérique ?", fr)
    assert "MARKETING" in maker.terms("je ne veux plus de votre lettre d'information", fr)
    # « données de connexion » are mostly one's login details in everyday French
    assert "LOG" not in maker.terms("j'ai perdu mes données de connexion", fr)
    assert "MONITOR" not in maker.terms("où en est le traçage de mon colis ?", fr)
    assert "ANALYTICS" in maker.terms("quel outil de mesure d'audience ?", fr)
