"""How a message is put, apart from what it is about: a question, an order, a wish.

"Can I delete my data?" asks about a right; "delete my data" and "could you delete my
account?" ask us to act; "I want to know whether I can delete it" and "could I have it
deleted if I wanted?" still only ask. These cues decide between a policy answer and a
request when the words alone are the same.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from enum import StrEnum


class Asking(StrEnum):
    """What a question that names an action is really after."""

    RIGHT = "right"  # "can I delete my data?": whether the user may (the rights section)
    PRACTICE = "practice"  # "do you sell my data?": what the company does (its section)


_QUESTION_START = frozenset(
    "can could may might is am are do does did would will est puis peut peux ai as avez "
    "quel quels quelle quelles comment how what which when where who why quand pourquoi "
    "combien qui".split()
)
_SECOND_PERSON = frozenset({"you", "u", "vous", "tu", "ya"})
_MODALS = frozenset(
    "can could would will please pouvez pourriez peux pourrais voulez voudriez veuillez "
    "merci svp stp".split()
)
_CONDITIONAL = frozenset({"if", "si", "whether", "once", "when"})
_HOW = frozenset({"how", "comment"})
_NEGATION = frozenset({"not", "don", "dont", "ne", "n", "never", "jamais"})
_KNOWING = frozenset(
    "know savoir understand comprendre learn apprendre check verifier wondering wonder "
    "curious curieux curieuse".split()
)
_POLITE = frozenset({"please", "pls", "plz", "kindly", "svp", "stp", "merci", "de", "ok", "so"})
_IMPERATIVES = frozenset(
    "send give delete erase remove correct fix update change stop export transfer restrict "
    "limit withdraw revoke cancel close provide show let forget unsubscribe email mail wipe "
    "envoie envoye donne supprime efface corrige modifie arrete exporte transfere limite "
    "retire montre ferme oublie".split()
)
_NOT_VERBS = frozenset({"chez", "assez"})
# Who a question is about when it is not the user: the app, the company, other people.
# "does the app access my photos?", "who has access to my data?", « vous avez accès à mes
# contacts ? » ask what happens, not for a copy of one's data.
_OTHER_SUBJECTS = frozenset(
    "it app apps application applications appli applis qazar company they anyone anybody "
    "someone somebody everyone everybody people others other who whom hackers hacker "
    "advertisers employees staff vous you u qui quelqu autres gens personne tout "
    "elle elles il ils entreprise societe employes hackeurs pirates annonceurs".split()
)
# "Can you see / read / access my contacts?" asks what the app does, not for an action.
_PERCEIVING = frozenset(
    "see sees seen view views read reads access accesses accessed accessing hear hears "
    "listen listens know track voir voit voient voyez lire lit lisent lisez acces acceder "
    "accedez accede accedent entendre ecouter ecoute ecoutez savoir savez connaitre "
    "connaissez suivre suivez".split()
)
_WHO = frozenset({"who", "whom", "qui"})
_LEAD_WORDS = frozenset(
    "does do did can could will would is are was were has have may might should est ce que "
    "so and et alors the this that your votre vos cette cet le la les l any".split()
)


def is_question(text: str, words: Sequence[str]) -> bool:
    """Has a question mark (not only at the end: "you don't sell it? really!") or opens like
    a question."""
    return "?" in text or bool(words and words[0] in _QUESTION_START)


def starts_with_imperative(words: Sequence[str]) -> bool:
    """Does the message open with an order ("send me...", "supprimez...")?"""
    for i, word in enumerate(words):
        if word in _POLITE:
            continue
        if word.endswith("ez") and i + 1 < len(words) and words[i + 1] == "vous":
            return False  # « vendez-vous mes données ? »: the subject after it, a question
        return word in _IMPERATIVES or (
            word.endswith("ez") and len(word) > 4 and word not in _NOT_VERBS
        )
    return False


def is_order(text: str, words: Sequence[str]) -> bool:
    """An imperative that is not phrased as a question."""
    return not is_question(text, words) and starts_with_imperative(words)


# "Don't share my data with anyone", "quit tracking me", « ne partagez plus mes données »,
# « je ne souhaite plus que vous transmettiez... »: an order not to do something, which
# starts_with_imperative leaves aside.
_DONT = (
    ("don", "t"),
    ("dont",),
    ("do", "not"),
    ("never",),
    ("quit",),
    ("i", "don", "t", "want", "you", "to"),
    ("i", "do", "not", "want", "you", "to"),
    ("je", "ne", "veux", "plus", "que", "vous"),
    ("je", "ne", "veux", "pas", "que", "vous"),
    ("je", "ne", "souhaite", "plus", "que", "vous"),
    ("je", "ne", "souhaite", "pas", "que", "vous"),
)
_FRENCH_NOT = frozenset({"pas", "plus", "jamais"})
_FRENCH_OBJECTS = frozenset("me m les le la l nous".split())
# The user's own data or the user: "don't share *my* data", "don't track *me*", « ne *les*
# partagez pas » (advice such as "don't trust apps that share your data" names none)
_MINE = frozenset("my me mine mes mon ma moi m les le la l".split())


def forbidden_verb(text: str, words: Sequence[str]) -> int | None:
    """The position of the verb an order not to do something forbids ("don't *share* my
    data", « ne *collectez* plus mes données »), right after the negation, or None: not for
    a question ("don't you share my data?", « ne partagez-vous pas... »), nor for an opening
    remark ("never mind, do you share my data", "don't care if you share it")."""
    if "?" in text:
        return None
    start = next((i for i, w in enumerate(words) if w not in _POLITE), len(words))
    rest = list(words[start:])
    verb = None
    for dont in _DONT:
        if tuple(rest[: len(dont)]) == dont:
            verb = start + len(dont)
            break
    if verb is None and len(rest) > 1 and rest[0].endswith("ez") and rest[1] in _FRENCH_NOT:
        verb = start  # « n'utilisez plus... »: the elided « n' » is dropped with the others
    elif verb is None and len(rest) > 2 and rest[0] in {"ne", "n"}:
        at = 2 if rest[1] in _FRENCH_OBJECTS else 1
        after = rest[at + 1 : at + 4]
        if rest[at].endswith("ez") and _FRENCH_NOT.intersection(after) and after[0] != "vous":
            verb = start + at
    if verb is None or verb >= len(words) or words[verb] in _SECOND_PERSON:
        return None
    return verb if _MINE.intersection(words[max(0, verb - 2) : verb + 4]) else None


# What the company may do with data, which nobody asks it to do: "will you sell my data?"
# asks whether it does, unlike "will you delete my data?".
_PRACTICE_VERBS = frozenset(
    "sell sells selling share sharing track tracking spy monitor collect collecting use "
    "using read listen record vendre vendez vendrez partager partagez partagerez suivre "
    "suivez pister pistez espionnez collecter collectez utiliser utilisez lisez "
    "ecoutez enregistrez".split()
)


def is_polite_order(words: Sequence[str]) -> bool:
    """ "Could you delete...", "pouvez-vous supprimer...": a request put as a question
    (not "will you sell my data?", which asks what the company does)."""
    present = set(words)
    practice_only = bool(present & _PRACTICE_VERBS) and not present & _IMPERATIVES
    return bool(present & _MODALS) and bool(present & _SECOND_PERSON) and not practice_only


def wishes(words: Sequence[str], wish_words: Collection[str]) -> bool:
    """A wish to act, not "if I wanted" nor "I want to know whether...", nor someone else's
    ("why do you want my location?", « pourquoi avez-vous besoin de... »)."""
    for i, word in enumerate(words):
        if word not in wish_words or (i > 0 and words[i - 1] in _APP_SUBJECTS):
            continue
        before, after = words[max(0, i - 3) : i], words[i + 1 : i + 4]
        if not (
            set(before) & (_CONDITIONAL | _NEGATION)
            or set(after) & _KNOWING
            or _HOW.intersection(words[i + 1 :])  # « je veux supprimer..., comment faire ? »
        ):
            return True
    return False


def asks_about(
    text: str, words: Sequence[str], *, wish: bool, right: bool, ask: bool
) -> Asking | None:
    """Is a message that names an action a question rather than an order, and about what?

    `wish`: the message wishes to act; `right`: it names a right; `ask`: it has a question
    word ("can", "how", "possible"...).
    """
    if wish or (is_polite_order(words) and not _perceives(words)):
        return None
    knowing = bool(set(words) & _KNOWING)
    question = is_question(text, words)
    if (question or ask or "quoi" in words) and about_others(words):
        return Asking.PRACTICE  # "can anyone see my data?", "does the app read my contacts?"
    you = bool(set(words) & _SECOND_PERSON) and not _user_first(words)
    if right or (ask and (question or knowing) and not you):
        return Asking.RIGHT  # "can I...?", "do I have the right...", "savoir si c'est possible"
    if knowing or (question and (you or not _orders(words))):
        # "do you sell my data?", "savoir si vous transmettez...", "will I get targeted ads?"
        return Asking.PRACTICE
    return None


def _user_first(words: Sequence[str]) -> bool:
    """ "Can I see what you store about me?": the user is the subject, "you" comes later."""
    return _opening(words, _LEAD_WORDS | _QUESTION_START) in _USER


def about_others(words: Sequence[str]) -> bool:
    """Is the subject of the question the app, the company or other people, not the user?
    An impersonal "it" ("is it possible to opt out?", « est-il possible de désactiver... »)
    is nobody."""
    opening = _opening(words, _LEAD_WORDS)
    if opening in _IMPERSONAL:
        i = list(words).index(opening)
        if _POSSIBLE.intersection(words[i + 1 : i + 3]):
            return False
    return opening in _OTHER_SUBJECTS


_IMPERSONAL = frozenset({"it", "il"})
_POSSIBLE = frozenset({"possible"})


def _opening(words: Sequence[str], skipped: frozenset[str]) -> str | None:
    """The first of the first five words that is not one of `skipped`."""
    return next((w for w in words[:5] if w not in skipped), None)


_USER = frozenset({"i", "je", "j"})
# Between the user and a verb of theirs: "how do I start tracking", "can I record",
# « je peux suivre », « je vais enregistrer ».
_USER_AUXILIARIES = frozenset(
    "do can could will would want wanna start begin to also still just peux pourrais veux "
    "voudrais vais dois commence commencer".split()
)
# Watching verbs the user may be the one doing: their own goals, runs or documents.
_WATCHING = frozenset(
    "track tracking record recording scan scanning monitor monitoring log logging suivre "
    "enregistrer enregistre scanner scanne".split()
)


def user_watches(words: Sequence[str]) -> frozenset[int]:
    """ "How do I start tracking my goals?", « je peux enregistrer mes séances ? »: the
    positions of watching verbs whose subject is the user, a feature of the app rather than
    something done to the user's data ("am I tracked?" is not: the user is watched)."""
    found = set()
    for i, word in enumerate(words):
        if word not in _USER:
            continue
        j = i + 1
        while j < len(words) and j - i <= 3 and words[j] in _USER_AUXILIARIES:
            j += 1
        if j < len(words) and words[j] in _WATCHING:
            found.add(j)
    return frozenset(found)


# Leaving the service, as the circumstance of a question ("what happens to my data when I
# close my account?", « que deviennent mes données si je désinstalle l'appli ? »): the
# question is about what becomes of the data then, not a wish to delete.
_CIRCUMSTANCE = (_CONDITIONAL - {"whether"}) | frozenset(
    "after quand apres lorsque lorsqu fois".split()
)
# Nouns of leaving: "after account deletion", « après la fermeture du compte »
_LEAVING_NOUNS = frozenset(
    "deletion closure cancellation termination uninstallation removal suppression fermeture "
    "cloture resiliation desinstallation desactivation".split()
)
_LEAVING = _LEAVING_NOUNS | frozenset(
    "delete deleted deletes deleting remove removed removes removing uninstall uninstalled "
    "uninstalling cancel cancels cancelled canceled cancelling canceling close closed closes "
    "closing deactivate deactivated deactivating terminate terminated quit leave leaving stop "
    "stopped supprime supprimer supprimes supprimee desinstalle desinstaller desinstallee "
    "resilie resilier ferme fermer cloturer quitte quitter desactive desactiver".split()
)
_LEFT = frozenset(
    "account accounts app apps application appli subscription membership profile service "
    "compte comptes applications abonnement profil".split()
)


# Who leaves: the user (or someone) as the subject of the clause, not "if you could
# delete my account", a polite request
_LEAVERS = frozenset("i je j we nous someone somebody user users utilisateur on".split())
_YOUR = frozenset({"your", "votre", "ton"})
# Between the circumstance word and the verb, a wish or an ability makes it a question of
# whether or when one may ("when can I delete my account?", "if I want to close it...")
_MAY = frozenset(
    "can could may might should want wanna need wish able allowed peux peut puis pourrai "
    "pourrais veux voudrais dois souhaite".split()
)


def user_leaves(words: Sequence[str]) -> frozenset[int]:
    """The positions of words of leaving the service (closing an account, uninstalling the
    app) as the circumstance of a question: "when I close my account", "after someone removes
    the app", « si je supprime mon compte », "after account deletion", "once my account is
    deleted", the account or the app named beside them. Not "if possible, delete my account"
    (a polite order: no one leaving is named) nor "when can I delete my account?"."""
    found = set()
    for i, word in enumerate(words):
        if word not in _LEAVING or not _LEFT.intersection(words[max(0, i - 3) : i + 4]):
            continue
        opener = next(
            (j for j in range(i - 1, max(-1, i - 5), -1) if words[j] in _CIRCUMSTANCE), None
        )
        if opener is None:
            continue
        between = words[opener + 1 : i]
        if _MAY.intersection(between):
            continue
        if (
            word in _LEAVING_NOUNS
            or _LEAVERS.intersection(between)
            or _LEFT.intersection(between)  # "once my account is deleted"
            # "when you delete your account": anyone's, as against "once you get this,
            # delete my account"
            or (_SECOND_PERSON.intersection(between) and _YOUR.intersection(words[i + 1 : i + 3]))
        ):
            found.add(i)
    return frozenset(found)


# The app or the company as the subject, as opposed to other people.
_APP_SUBJECTS = frozenset(
    "it app apps application applications appli applis qazar company they vous you u "
    "elle il ils entreprise societe".split()
)


_DEMONSTRATIVES = frozenset({"this", "that"})
_AUXILIARIES = frozenset("have has can could will would does do did is".split())
_BE = frozenset("is are be been being was were".split())
_CLAUSE_MODALS = frozenset(
    "can could will would may might does do did peut peuvent pourrait va".split()
)
_INVERTED = frozenset({"il", "elle", "ils", "elles"})  # « peut-il », « peuvent-elles »
_ARTICLES = frozenset("the this your an a l la le les cette votre".split())
_PARTICIPLES = frozenset("accessed seen viewed read heard tracked recorded".split())


def app_perceives(words: Sequence[str]) -> bool:
    """ "Can the app access my location?", "does this have access to my photos?", "is my
    location accessed by the app?", « vous avez accès à mes contacts ? »: the app or the
    company sees, reads or hears something, which is collecting it."""
    return (
        _app_does(words, _PERCEIVING)
        or _passive_by_app(words)
        or _app_clause_perceives(words, _PERCEIVING)
        or app_asks_access(words)
    )


# Sending data away from the phone: "does the app send my data anywhere?", "does it report
# what I search?", « l'appli envoie-t-elle mes données ? »
_SENDING = frozenset(
    "send sends sending sent report reports reporting upload uploads uploading transmit "
    "transmits transmitting envoie envoient envoyer envoyez remonte remontent "
    "transmet transmettent".split()
)


def app_sends(words: Sequence[str]) -> bool:
    """The app or the company sends something away ("does the app send my data anywhere?",
    "does it report what I search?"), which is collecting it."""
    return _app_does(words, _SENDING) or _app_clause_perceives(words, _SENDING)


def _app_does(words: Sequence[str], verbs: frozenset[str]) -> bool:
    """Is the app, the company or "this" the subject that opens the question, with one of
    `verbs` after it?"""
    for i, word in enumerate(words[:5]):
        ahead = words[i + 1 : i + 2]
        if word in _DEMONSTRATIVES and ahead and ahead[0] in _AUXILIARIES:
            return bool(set(words[i + 1 :]) & verbs)  # "does this have access..."
        if word not in _LEAD_WORDS:
            if word in _APP_SUBJECTS:
                return bool(set(words[i + 1 :]) & verbs)
            break
    return False


# The app asking for something: "why does the app ask for access to my contacts?",
# « pourquoi l'appli demande l'accès à mes contacts ? »
_ASKING_FOR = frozenset(
    "ask asks asking request requests requesting need needs require requires want wants "
    "demande demandent exige exigent veut".split()
)
_ACCESS = frozenset("access acces acceder permission permissions autorisation".split())


def app_asks_access(words: Sequence[str]) -> bool:
    """ "Why does the app ask for access to my contacts?", « pourquoi l'appli demande
    l'accès au micro ? »: the app, not the user, asks to reach something (a permission)."""
    for i in range(len(words) - 1):
        if words[i] in _APP_SUBJECTS and words[i] != "they" and words[i + 1] in _ASKING_FOR:
            return bool(_ACCESS.intersection(words[i + 2 : i + 5]))
    return False


def _app_clause_perceives(words: Sequence[str], verbs: frozenset[str]) -> bool:
    """ "What data can apps access?", "what an app will access", « Apple peut-il avoir accès à
    vos contacts ? »: later in the question, a modal then the app (or a company named by an
    inverted « il »), or the app then a modal, with seeing or reading right after."""
    for i in range(1, len(words) - 1):
        word = words[i]
        before = words[i - 2] if i > 1 and words[i - 1] in _ARTICLES else words[i - 1]
        app = word in _APP_SUBJECTS and word != "they"  # later on, "they" is often others
        if (app or word in _INVERTED) and before in _CLAUSE_MODALS:
            ahead = words[i + 1 : i + 3]  # "can apps access", « peut-il avoir accès »
        elif app and words[i + 1] in _CLAUSE_MODALS and words[i + 2 : i + 3] != ["they"]:
            ahead = words[i + 2 : i + 4]  # "an app will access" ("this app can they see": no)
        else:
            continue
        return bool(set(ahead) & verbs)
    return False


def _passive_by_app(words: Sequence[str]) -> bool:
    """ "How much of my data is accessed?", "can it be read by the app?": seen, with the app
    or nobody named as the one who sees."""
    for i, word in enumerate(words):
        if word in _PARTICIPLES and i > 0 and words[i - 1] in _BE:
            after = list(words[i + 1 : i + 5])
            if "by" not in after:
                return True
            agent = [w for w in after[after.index("by") + 1 :] if w not in _LEAD_WORDS]
            return bool(agent) and agent[0] in _APP_SUBJECTS
    return False


# "the company", "this website", « votre société »: the policy's owner named, not a topic.
_OWNER_DETERMINERS = frozenset("the this your our votre notre cette ce le la".split())
_OWNER_NOUNS = frozenset(
    "company website site app application organization organisation firm platform "
    "entreprise societe appli plateforme".split()
)


def names_owner(words: Sequence[str], i: int) -> bool:
    """Is words[i] the owner of the policy named with a determiner ("does the company
    collect...", « le site partage-t-il... »)? "other companies" or "third-party sites"
    are not."""
    return i > 0 and words[i] in _OWNER_NOUNS and words[i - 1] in _OWNER_DETERMINERS


def asks_who(words: Sequence[str]) -> bool:
    """Does the question ask who ("who can see...", « qui a accès... », « par qui... »)?"""
    return any(w in _WHO for w in words[:3])


def _perceives(words: Sequence[str]) -> bool:
    """A question about what someone sees or reads, with no order in it."""
    present = set(words)
    return bool(present & _PERCEIVING) and not present & _IMPERATIVES


def _orders(words: Sequence[str]) -> bool:
    """An order, also negated: "delete it?", "do not sell my data", "don't share it"."""
    negated = list(words[:2]) in (["do", "not"], ["don", "t"]) or words[:1] == ["dont"]
    return negated or starts_with_imperative(words)


_POSSESSIVE = frozenset({"my", "ma", "mes", "mon", "our", "notre", "nos"})
_REQUEST_NOUNS = frozenset({"request", "requests", "demande", "demandes", "requete", "requetes"})


def names_own_request(words: Sequence[str], wish_words: Collection[str]) -> bool:
    """ "Why is my access request delayed?", « où en est ma demande de portabilité »: a
    message that names the user's own request (a possessive, then the noun within three
    words) and wishes nothing is about a request already made, not an order for a new one
    ("I want to make my access request" wishes; "request" after a possessive is a noun)."""
    named = [i for i, w in enumerate(words) if w in _POSSESSIVE]
    nouns = {j for i in named for j in range(i + 1, i + 5) if j < len(words)}
    nouns = {j for j in nouns if words[j] in _REQUEST_NOUNS}
    if not nouns:
        return False
    rest = [w for j, w in enumerate(words) if j not in nouns]
    return not wishes(rest, wish_words)
