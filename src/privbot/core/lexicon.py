"""Word knowledge for matching: stop words and privacy-domain concepts in both languages.

A concept is a bilingual synonym group (delete/erase/remove/supprimer/effacer...). Mapping
words to concepts lets an English question find a French example and the reverse, and lets
"gather" find a section that says "collect". Entries are written accent-folded and lower-case.
"""

from __future__ import annotations

from privbot.core.model import Language

_STOP_WORDS: frozenset[str] = frozenset(
    (
        "a an the of to in on at by for from with about into over under as and or but if "
        "then so than too very just also is are was were be been being am do does did "
        "doing done have has had having i me my mine myself we us our ours you your yours "
        "he him his she her it its they them their this that these those there here which "
        "who whom whose will shall would should could may might must any some all each "
        "every no not only own same such more most other again once up out off s t d "
        "ll m re ve y o get got gonna going let lets thing things stuff im ive id dont "
        "doesnt isnt arent um uh please le la les l un une des du de d au "
        "aux a et ou mais donc or ni car que qu qui quoi dont ce cet cette ces ca cela "
        "ceci il ils elle elles on nous vous je j tu te t me m moi toi lui leur leurs mon "
        "ma mes ton ta tes son sa ses notre nos votre vos en y dans sur sous par pour "
        "avec sans chez vers est sont suis es etes sommes etait etaient ete etre ai as "
        "avons avez ont avait avoir fait faire fais font ne n pas plus se s si tres aussi "
        "bien alors comme meme tout tous toute toutes autre autres deja encore ici la-bas "
        "voila ben bah euh hein svp stp sil plait doit doivent dois devez devons devoir "
        "devrait devraient faut during durant "  # "during" is no « durée »
    ).split()
)

# Words that carry the *wish to act*; kept (not stop words) because they separate
# "delete my data" (a request) from "can you delete data?" (a question about a right).
_CONCEPTS: dict[str, str] = {
    # Negation and question words are kept: "do not sell my data" is a request,
    # "do you sell my data?" a question.
    "NEG": "not never don doesn didn won wouldn shouldn isn aren cant dont doesnt ne jamais",
    # "give me / envoyez-moi": addressed to us, asking us to act.
    "ME": "me moi",
    "ASK": "what which how when can could may whether able allowed permitted quand quel "
    "quels quelle quelles comment peux pouvez peut peuvent pourrait puis possible est-ce",
    "WANT": "want wanna wish wants wanted need needs veux veut voudrais voudrait "
    "souhaite souhaiterais souhaitons aimerais desire besoin demande demander request "
    "requesting exercise exercer",
    "DATA": "data datas donnees donnee donne information informations info infos "
    "renseignements renseignement",
    "PERSONAL": "personal personnel personnelle personnelles personnels private privee privees "
    "identity identities identite identites identifiable identifying",
    # Privacy itself: "how does privacy mode work?", « la confidentialité de mes échanges ».
    # It marks the domain but names no topic (MARKERS).
    "PRIVACY": "privacy confidentiality confidential confidentialite confidentiel "
    "confidentielle confidentielles confidentiels",
    "ANONYMOUS": "anonymous anonymously anonymity anonyme anonymes anonymement anonymat "
    "anonymize anonymise anonymized anonymised anonymiser anonymisees anonymisation "
    "anonymization pseudonym pseudonyme pseudonymes",
    "COLLECT": "collect collects collecting collected collection gather gathers gathering "
    "gathered obtain obtains obtained acquire capture captures captured harvest harvesting "
    "collecter collectez collecte collectees collectes collectons collectent recueillir "
    "recueillez recueillies recueille rassembler rassemblez recuperer recuperez recupere "
    "recuperees amasser upload uploads uploaded uploading televerser televerse televersees "
    "aspire aspirer aspirent aspirez aspiree aspirees siphonner siphonne phonehome",
    "SHARE": "share shares sharing shared disclose discloses disclosing disclosed disclosure "
    "partager partagez partage partagees partages partagent divulguer divulguez divulgation "
    "divulguees communiquer communiquez transmettre transmettez transmises donner donnez "
    "donnes donnent donnons donnera donnerait donneront donnerez donnant donnait donna "
    "hand",
    "THIRDPARTY": "third thirdparty thirdparties tiers tierce partner partners partenaire "
    "partenaires vendor vendors provider providers prestataire prestataires fournisseur "
    "fournisseurs subcontractor subcontractors soustraitant soustraitants companies "
    "entreprises societes affiliate affiliates affiliated subsidiary subsidiaries filiale "
    "filiales sdk sdks subprocessor subprocessors",
    "ABROAD": "abroad international internationally internationaux internationales usa america "
    "american united unis germany allemagne china chine india inde canada japan japon brazil "
    "etranger etrangers overseas outside hors countries country pays jurisdiction "
    "jurisdictions juridiction juridictions residency",
    "TRANSFER": "transfer transfers transferred transferring transfert transferts "
    "transferer transferez transferees move moved",
    "KEEP": "keep keeps keeping kept retain retains retaining retained retention store save "
    "saves saved saving sauvegarder sauvegarde sauvegardez sauvegardees sauvegardes "
    "stores storing stored storage hold holds holding conserve conserver conservez "
    "conservation conservees conserves garder gardez gardees stocker stockez stockage "
    "stockees archive archiver archivees archives archivage",
    "DURATION": "long longtemps duration duree period periode periods until jusqua temps "
    "forever permanently permanent permanente indefinitely indefiniment definitivement lifespan",
    "DELETE": "delete deletes deleting deleted deletion erase erases erasing erased erasure "
    "uninstall uninstalling desinstaller desinstalle rid "
    "remove removes removing removed removal wipe wiping destroy forget forgotten "
    "supprimer supprimez supprime supprimees suppression effacer effacez efface effacement "
    "oublier oubli detruire",
    "ACCOUNT": "account accounts compte comptes profile profil",
    "MODIFY": "correct correcting corrected correction rectify rectification fix fixing "
    "modify modifying modification update updating updated change changes changing edit "
    "amend amended amendment amendments revise revised revision revisions corriger corrigez "
    "rectifier rectifiez modifier modifiez changer changez mettre maj",
    "WRONG": "wrong incorrect inaccurate outdated mistake error erroneous faux fausse "
    "fausses erronee erronees errone inexact inexacte inexactes erreur incomplete "
    "incompletes",
    "COPY": "copy copies copie acceder access acces obtenir download telecharger",
    "SEE": "see sees seeing seen view viewing look voir vois voit consult consulter regarder",
    "PORTABLE": "portability portable portabilite export exporter exporting json csv reuse "
    "takeout "
    "reutiliser "
    "format machinereadable",
    "OBJECT": "object objecting objection oppose opposition opposer refuse refusing refuser optout",
    "STOP": "stop stopping cease arreter arretez arrete cesser cessez",
    "RESTRICT": "restrict restricting restriction limit limiting limitation limiter "
    "limitez freeze geler suspend suspendre",
    "CONSENT": "consent consents consenting consentement consentements permission agreement accord "
    "optin",
    "WITHDRAW": "withdraw withdrawing withdrawal withdrawn revoke revoking revocation "
    "retract retirer retirez retrait revoquer",
    "SELL": "sell sells selling sold sale sales vendre vendez vendu vendues vente ventes "
    "monetize monetise monetiser commercialiser resell",
    "SECURE": "security secure secured securely safe safety safely protect protects "
    "safeguard safeguards safeguarding 2fa mfa twofactor authentication authentification "
    "protected protection protecting encryption encrypt encrypted chiffrement chiffre "
    "decrypt decrypted "
    "chiffrees chiffrer cryptage crypte cryptees securite securise securisees "
    "securiser proteger protegez protegees hack hacked hacking hacker hackers hacks breach "
    "breaches breached piratage pirate pirates pirater fuite fuites leak leaks leaked leaking "
    "compromised compromise compromis malware malwares virus viruses spyware keylogger "
    "phishing hameconnage attack attacks attaque attaques cyberattack cyberattaque "
    "vulnerable vulnerability vulnerabilities vulnerabilite steal steals stealing stolen "
    "theft vol voler volee volees usurpation ssl tls unauthorized unauthorised firewall "
    "firewalls hash hashed hashes hashing salted salting plaintext cleartext faille failles "
    "hachage e2ee endtoend bcrypt argon2 scrypt sha256",
    "COOKING": "cook cooking cooked cuisine cuisiner cuisinez recipe recipes recette recettes",
    "COOKIE": "cookie cookies tracker trackers tracking traceur traceurs pixel pixels beacon "
    "beacons fingerprinting localstorage sessionstorage indexeddb",
    # Watching what someone does is collecting it ("do you track my sleep?"), and so is an
    # app that intrudes ("is this app invasive?").
    "MONITOR": "track tracks tracked monitor monitors monitoring monitored surveiller background "
    "tracage mouchard mouchards "
    "intrusive intrusif invasive invade invading invades intrude intrudes intrusion "
    "screenshot screenshots screenshotting "
    "surveille surveillez surveillent surveillance spy spies spying espionner espionne "
    "espionnez espionnage pister record recorded recording recordings enregistrer "
    "enregistre enregistrez enregistrent enregistrement enregistrements scan scans "
    "scanning scanned scanne scannent scanner scannez",
    "CHILD": "child children kid kids minor minors enfant enfants mineur mineurs teen age ages "
    "infant infants baby babies "
    "underage parental parent parents guardian gamin gamins 13 16 18 "
    "teenager teenagers ado ados adolescent adolescents school schools ecole ecoles "
    "pupils eleves students etudiants baby bebe daughter daughters fille filles fils coppa",
    "POLICY": "policy policies politique politiques",
    # What the user may decide: the choices a policy offers ("opt out", "unsubscribe").
    "CHOICE": "choice choices choose chooses choosing option options opt optout optin "
    "unsubscribe unsubscribing preference preferences control controls decline disable "
    "choix choisir choisissez desabonner desabonnez desinscrire desinscrivez parametrer "
    "desinscription "
    # keeping something from others' sight is a setting the user chooses
    "hide hides hiding hidden masquer masquez masque masquee masques",
    # Telling users: how a change of the policy reaches them.
    "NOTIFY": "notify notifies notified notification notifications notice notices inform "
    "informs informed alert alerts avertir avertissons informer informons notifier "
    "prevenir prevenons",
    # What the app may use on the phone (one "permission" is consent, CONSENT's).
    "PERMISSIONS": "permissions autorisations authorisations",
    # Choosing what someone sees from what is known of them.
    "PERSONALISE": "personalize personalise personalized personalised personalization "
    "personalisation personnaliser personnalise personnalisee personnalisees "
    "personnalisation tailor tailored recommend recommends recommended recommendation "
    "recommendations recommandation recommandations recommander suggestions profiling "
    "profiler profilez profilent profilons "
    "profilage",
    # What a phone holds beyond what the policy lists: people name it ("does the app see my
    # photos?", « accède à mes contacts ? ») and mean what is collected or shared.
    "PHONECONTENT": "contacts addressbook repertoire carnet annuaire calendar calendars "
    "calendrier calendriers agenda agendas camera cameras webcam microphone microphones mic "
    "mics micro micros photo photos picture pictures pics image images video videos gallery "
    "galerie album albums selfie selfies audio voice voices voix vocal vocaux "
    "listen listening listens ecoute "
    "ecouter ecoutez sms texto textos calls appels files fichiers "
    "documents notes clipboard keyboard keystrokes clavier frappe",
    # Sensitive kinds of data (health, body, beliefs) the policy does not list.
    "SENSITIVE": "health sante fitness workout workouts entrainement entrainements "
    "heart cardiaque cardio sleep sommeil medical medicale medicales medicaux medication "
    "medications medicament medicaments symptoms symptomes weight poids biometric "
    "biometrics biometrique biometriques fingerprint fingerprints empreinte empreintes "
    "faceid facial faciale dna adn genetic genetique genetiques religion religious "
    "sexual sexuelle sensitive sensible sensibles",
    # Other people than the user and us: "can others see...", « visible par tous ».
    "OTHERS": "anyone anybody everyone everybody someone somebody public publicly publique "
    "publiques visible visibles visibility visibilite strangers inconnus friends amis "
    "followers abonnes members membres others people gens quelqu quiconque",
    "CONTACT": "contact contacting contacter contactez reach joindre write ecrire dpo",
    "EMAIL": "email emails mail mails courriel courriels",
    "LOCATION": "location locations localisation geolocalisation geolocation gps position "
    "positions whereabouts geotag geotagging wifi bluetooth deplacements trajets",
    "DEVICE": "device devices appareil appareils phone telephone smartphone mobile iphone "
    "android ios os idfa gaid "
    "computer ordinateur",
    "LOG": "log logs journal journaux journalisation ip browser navigateur timestamps "
    "horodatage horodatages browsing navigation history historique histories searches "
    "recherches visited visites watchlist telemetry telemetrie crashreport crashreports "
    "useragent",
    # « payé » is not « pays »: the French forms of paying are listed, not left to the stem
    "PAYMENT": "pay paid paying payer payez paye payee payes payees paie paient payons payent "
    "payment payments paiement paiements card cards "
    "carte cartes bancaire "
    "bancaires billing facturation credit debit iban paypal wallet purchases purchase "
    "achats financial financiere financieres transactions transaction buy buying",
    # Who decides what is done with the data (the policy's owner), not a choice the user has:
    # "who controls my data?" is not "can I control my data?".
    "CONTROLLER": "controller controllers whocontrols",
    "GDPR": "gdpr rgpd",
    "EUROPE": "europe european europeen europeenne europeens eea eee eu ue",
    "UK": "uk britain british royaumeuni royaume angleterre england",
    "CCPA": "ccpa california californie californian californien cpra",
    "COMPLAINT": "complaint complain complaints plainte plaintes reclamation authority "
    "authorities autorite autorites cnil ico regulator supervisory",
    "RIGHT": "right rights droit droits",
    "USE": "use uses using used usage utilise utiliser utilisez utilisons utilisent utilisation "
    "utilisees utilises exploit exploiter",
    "PURPOSE": "purpose purposes why pourquoi fins finalite finalites objectif objectifs",
    "LAW": "law laws legal legally loi lois legale legales police cops cop enforcement warrant "
    "requisition requisitions government gouvernement "
    "court courts tribunal justice judiciaire subpoena",
    "MERGER": "merger mergers merge fusion fusionne acquisition acquisitions acquired "
    "rachat rachete racheter bought buys takeover bankrupt bankruptcy bankruptcies insolvent "
    "insolvency faillite faillites",
    "LINK": "link links liens lien website websites site sites external externes",
    "ANALYTICS": "analytics analytic analyse analyses analytique statistics statistiques "
    "metrics sentry crashlytics mixpanel matomo posthog hotjar",
    "MARKETING": "marketing advertising ads ad advert adverts advertisement advertisements "
    "advertiser advertisers publicite publicites publicitaire publicitaires pub pubs "
    "annonceur annonceurs targeted ciblee ciblees ciblage newsletter newsletters "
    "promotional prospection demarcher demarchee demarchees demarchage demarcheur "
    "demarcheurs telemarketing teleprospection",
}


# Phrases whose words mean something else together, read as one word (accent-folded, as
# normalised): "sold out" sells nothing, "log in" is no log, "opt out" objects.
PHRASES: dict[tuple[str, ...], str] = {
    ("sold", "out"): "soldout",
    ("opt", "out"): "optout",
    ("opted", "out"): "optout",
    ("opt", "in"): "optin",
    ("log", "in"): "login",
    ("log", "into"): "login",
    ("logged", "in"): "login",
    ("logging", "in"): "login",
    ("logs", "in"): "login",
    ("log", "out"): "login",
    ("logged", "out"): "login",
    ("logging", "out"): "login",
    ("log", "on"): "login",
    ("sign", "in"): "login",
    ("signed", "in"): "login",
    ("signing", "in"): "login",
    ("sign", "out"): "login",
    ("signed", "out"): "login",
    ("who", "controls"): "whocontrols",
    ("who", "control"): "whocontrols",
    ("qui", "controle"): "whocontrols",
    ("qui", "controlent"): "whocontrols",
    # a privacy notice and its officer, not security ("quelle protection pour mes données")
    ("declaration", "de", "protection", "des", "donnees"): "policy",
    ("politique", "de", "protection", "des", "donnees"): "policy",
    ("delegue", "a", "la", "protection", "des", "donnees"): "dpo",
    ("data", "protection", "officer"): "dpo",
    # running unseen is watching: "does it run in the background?"
    ("arriere", "plan"): "background",
    # one thing, not an address: « mon carnet d'adresses », "my address book"
    ("carnet", "adresses"): "carnet",
    ("carnets", "adresses"): "carnet",
    ("address", "book"): "addressbook",
    # a tracker of one's own habits is a kind of app, not a tracker of ours ("what is the
    # purpose of the habit tracker?")
    ("habit", "tracker"): "habittracker",
    ("habits", "tracker"): "habitstracker",
    ("goal", "tracker"): "goaltracker",
    ("goals", "tracker"): "goalstracker",
    ("budget", "tracker"): "budgettracker",
    ("expense", "tracker"): "expensetracker",
    ("expenses", "tracker"): "expensestracker",
    ("time", "tracker"): "timetracker",
    ("task", "tracker"): "tasktracker",
    ("tasks", "tracker"): "taskstracker",
    ("mood", "tracker"): "moodtracker",
    ("water", "tracker"): "watertracker",
    # "for good" before deleting adds nothing to it: "how do I permanently delete my account?"
    # asks how to delete, not how long data is kept ("deleted permanently?" may ask that)
    ("permanently", "delete"): "delete",
    ("permanently", "erase"): "erase",
    ("permanently", "remove"): "remove",
    ("supprimer", "definitivement"): "supprimer",
    ("effacer", "definitivement"): "effacer",
    ("two", "step"): "2fa",
    ("two", "factor"): "2fa",
    ("2", "step"): "2fa",
    ("double", "authentification"): "2fa",
    # "que faire pour effacer...": how to, as « comment »
    ("que", "faire", "pour"): "comment",
    # « Google nous demande... », « demande-t-il »: someone asks the user, no request of theirs
    ("nous", "demande"): "ask",
    # ... but « je vous demande de supprimer... » is the user's own request (not « je vous
    # demande si... », an indirect question)
    ("je", "vous", "demande", "de"): "demande",
    ("je", "vous", "demande", "la"): "demande",
    ("je", "vous", "demande", "le"): "demande",
    ("je", "vous", "demande", "l"): "demande",
    # "case-sensitive" is no sensitive data
    # « être démarché » is being canvassed; « une démarche » is only a step taken
    ("etre", "demarche"): "demarchage",
    ("ete", "demarche"): "demarchage",
    ("suis", "demarche"): "demarchage",
    ("me", "demarche"): "demarchage",
    ("me", "demarchent"): "demarchage",
    ("fonds", "de", "commerce"): "rachat",
    # an app shop, not storing: "is the app on the Play Store?" (not "app store" nor
    # "Microsoft store": "does the app store my address?", "does Microsoft store my data?")
    ("play", "store"): "playstore",
    ("web", "store"): "webstore",
    # a developer's words: "end-to-end encrypted", a crash report is log data (a crash
    # alone is off-topic), "API calls" are no phone calls, an app that "phones home" sends
    # data
    ("end", "to", "end"): "endtoend",
    ("empreinte", "numerique"): "fingerprinting",
    ("lettre", "information"): "newsletter",
    ("lettres", "information"): "newsletters",
    ("mesure", "audience"): "analytics",
    ("mesure", "de", "audience"): "analytics",
    ("sous", "traitant"): "soustraitant",
    ("sous", "traitants"): "soustraitants",
    ("crash", "report"): "crashreport",
    ("crash", "reports"): "crashreports",
    ("crash", "reporting"): "crashreport",
    ("user", "agent"): "useragent",
    ("api", "call"): "apicall",
    ("api", "calls"): "apicalls",
    ("phone", "home"): "phonehome",
    ("phones", "home"): "phonehome",
    ("calls", "home"): "phonehome",
    ("calling", "home"): "phonehome",
    ("sub", "processor"): "subprocessor",
    ("sub", "processors"): "subprocessors",
    ("plain", "text"): "plaintext",
    ("clear", "text"): "cleartext",
    ("case", "sensitive"): "casesensitive",
    ("case", "insensitive"): "casesensitive",
    # a letter's formula asks us to act: « je vous remercie de bien vouloir supprimer... »
    ("bien", "vouloir"): "demande",
    ("vous", "demande"): "ask",
    ("me", "demande"): "ask",
    ("demande", "t", "il"): "ask",
    ("demande", "t", "elle"): "ask",
    ("demande", "t", "on"): "ask",
    # « que fait-il de mes données ? »: what is done with them is their use
    ("que", "fait"): "utilise",
    ("que", "font"): "utilise",
    ("que", "faites"): "utilise",
    # what is done with data is its use: "what do you do with my data?" (with "you" only:
    # "what does it do with..." cost PrivacyQA refusals), « que peut faire la banque avec
    # mes données ? », « à quoi servent-elles ? »; a goal asked is a purpose
    ("you", "do", "with"): "use",
    ("you", "doing", "with"): "use",
    ("app", "do", "with"): "use",
    ("app", "doing", "with"): "use",
    ("application", "do", "with"): "use",
    ("que", "peut", "faire"): "utilise",
    ("que", "peuvent", "faire"): "utilise",
    ("que", "va", "faire"): "utilise",
    ("que", "vont", "faire"): "utilise",
    ("quoi", "sert"): "utilise",
    ("quoi", "servent"): "utilise",
    ("quoi", "servir"): "utilise",
    ("quoi", "serviront"): "utilise",
    ("quoi", "servira"): "utilise",
    ("quoi", "peut", "servir"): "utilise",
    ("quoi", "peuvent", "servir"): "utilise",
    ("quel", "but"): "finalite",
    ("quels", "buts"): "finalites",
    # "the US" is a country, not "us"
    ("the", "us"): "usa",
    # staying safe oneself is no security of ours: "how do I stay safe on dating apps?"
    ("stay", "safe"): "staysafe",
    ("staying", "safe"): "staysafe",
    ("rester", "en", "securite"): "staysafe",
    # "right now" names no right: "what data is being collected right now?"
    ("right", "now"): "now",
    ("right", "away"): "away",
    ("all", "right"): "ok",
}
PHRASE_LENGTH = max(len(p) for p in PHRASES)

# Words that share a stem with a concept's word without its meaning ("the information I
# provide" is no provider, "political" no policy, "indeed" not India): each group is read
# as its first word, a term of its own, never as the concept.
_UNRELATED: tuple[str, ...] = (
    "provide provides provided providing",
    "political politics politically",
    "tiered tier",
    "indeed",
    "outsider outsiders",
    "positive positively",
    "accounting accountant accountants",
    "comments commented commenting",
    "authors author",
    # found by running the 16,000 most frequent words of each language through the lexicon;
    # kept where no measured set lost ("savez", "notes", "following" each cost a question)
    "notamment noter",
    "formation formations",
    "definition definitions",
    "loyer loyers",
    "etrange etranges etrangement",
    "logement logements",
    "journaliste journalistes journalisme journalism journalist journalists",
    "genie gene genes",
    "identique identiques identical",
    "positif positifs positives",
    "voici voila",
    "compter comptait comptent comptez",
    "amende amendes",
    "fini finir finit finis finie fine fines",
    "vent vents",
    "nee nes",
    "james jam",
    "unite unites",
    "according accordance accordingly",
    "handful",
    "self",
    "disability disabilities",
    "kidding",
    "filling fill filled",
    "retirement retired",
    "savings",
    "amy",
    "sits sit sitting",
    "conservative conservatives conservateur conservateurs",
    "consultant consultants",
    "fit fits fitted fitting",
    "elevation elevated elevator elevait",
    "aging agees agee",
    "overly overs",
    "chin",
    "brow",
    "aspirateur aspirateurs",
    "amer amere",
    "selle selles salee sal",
    "internat",
    "loisir loisirs",
    "santa",
    "carter",
    "loge loger logis loges",
    "providence",
    "societal",
    "rightly",
    "weighted",
    "filer fills",
    "indie indies indy ind",
    "entrain",
    "billes",
    "savant savants",
    "sensiblement",
    "demarche demarches",  # a step taken, not « démarcher » (canvassing)
)
UNRELATED: dict[str, str] = {w: g.split()[0] for g in _UNRELATED for w in g.split()}
"""Accent-folded word -> the term it is read as, instead of a concept its stem resembles."""

# The same in one language only: in French « dont » is "of which" (no "don't"), « court »
# short (no court of law), « sale » dirty, « file » a queue, « don » a gift; in English "tiers"
# are levels and "pays" is paying ("who pays for the app?"), in French third parties and a
# country. (The intents' synonyms are read as English: « pays » is no synonym of theirs.)
UNRELATED_IN: dict[Language, frozenset[str]] = {
    Language.FR: frozenset(
        "dont court courts courte courtes sale sales file files don dons".split()
    ),
    Language.EN: frozenset({"tiers", "pays", "profiler"}),  # a profiler is a developer's tool
}

# Words read as another of the same meaning, so that they meet the examples written with it:
# « renseignements personnels » is what Quebec's law and pages call « données personnelles »
# (as a rare word it tied a question to the one introduction example that used it).
SAME_AS: dict[str, str] = {"renseignements": "donnees", "renseignement": "donnee"}

# Tracking a parcel is no watching of the user: "how can I track my order?", "my tracking
# says delivered". A tracking word within three words of one of these is read as itself.
TRACKING: frozenset[str] = frozenset("track tracks tracked tracking tracage".split())
SHIPPING: frozenset[str] = frozenset(
    "order orders package packages parcel parcels shipment shipments shipping shipped "
    "delivery deliveries delivered courier carrier commande commandes colis livraison".split()
)


def _build() -> dict[str, str]:
    """Accent-folded word -> concept id (the first group that names a word wins)."""
    table: dict[str, str] = {}
    for concept, words in _CONCEPTS.items():
        for word in words.split():
            table.setdefault(word, concept)
    return table


WORD_CONCEPTS: dict[str, str] = _build()
"""Accent-folded word -> concept id."""

# A kind of data is data: "do you sell my photos?" is "do you sell my data?" about photos,
# so a word of these concepts also stands for DATA.
BROADER: dict[str, str] = {
    "PHONECONTENT": "DATA",
    "SENSITIVE": "DATA",
    "LOCATION": "DATA",
    "MONITOR": "COLLECT",
}

# A word that belongs to a concept is never a stop word.
STOP_WORDS: frozenset[str] = _STOP_WORDS - frozenset(WORD_CONCEPTS)

# Concepts whose words a policy uses interchangeably (data, information; use, utiliser):
# matched against section text alone, such a word counts by its concept only.
INTERCHANGEABLE: frozenset[str] = frozenset({"DATA", "USE"})

# Concepts that say how something is asked rather than what it is about.
FUNCTION_CONCEPTS: frozenset[str] = frozenset({"ASK", "ME", "NEG", "WANT"})

# Concepts that only come up when someone talks about personal data and privacy. A question
# naming one is in the domain even when no example is close: better "did you mean" than a
# refusal. Words shared with everyday topics (account, phone, payment, e-mail, change, see,
# use, how long) are not among them: "my phone's battery" or "change my card" are off-topic.
PRIVACY_CONCEPTS: frozenset[str] = frozenset(
    {
        "DATA",
        "PERSONAL",
        "PRIVACY",
        "ANONYMOUS",
        "COLLECT",
        "SHARE",
        "THIRDPARTY",
        "TRANSFER",
        "KEEP",
        "DELETE",
        "PORTABLE",
        "OBJECT",
        "RESTRICT",
        "CONSENT",
        "WITHDRAW",
        "SELL",
        "SECURE",
        "COOKIE",
        "MONITOR",
        "PERMISSIONS",
        "PERSONALISE",
        "CHILD",
        "POLICY",
        "PHONECONTENT",
        "SENSITIVE",
        "OTHERS",
        "LOCATION",
        "LOG",
        "GDPR",
        "CCPA",
        "COMPLAINT",
        "RIGHT",
        "LAW",
        "MERGER",
        "ANALYTICS",
        "MARKETING",
    }
)


# Kinds of data people name ("my photos", « ma carte bancaire ») and what is done with data.
DATA_KINDS: frozenset[str] = frozenset(
    {"PHONECONTENT", "SENSITIVE", "LOCATION", "PAYMENT", "EMAIL", "LOG", "DEVICE", "ACCOUNT"}
)
# Things done with data: a question joining two of them ("do you keep and share my trips?")
# asks about two topics.
DATA_ACTIONS: frozenset[str] = frozenset(
    {
        "COLLECT",
        "MONITOR",
        "KEEP",
        "DELETE",
        "SECURE",
        "SELL",
        "SHARE",
        "TRANSFER",
        "MARKETING",
        "ANALYTICS",
        "PERSONALISE",
    }
)
# A question naming a kind of data and one of these practices is about the practice: "is my
# card information secure?" asks about security, not for the list of data collected, so
# the kind of data weighs less there. Collecting, keeping and deleting are not among them:
# "do you store my IP?" asks what is collected, "delete a photo from my gallery" is about
# the app's features.
PRACTICES: frozenset[str] = (DATA_ACTIONS - {"COLLECT", "MONITOR", "KEEP", "DELETE"}) | {
    "THIRDPARTY",
    "DURATION",
    "CHILD",
    "COOKIE",
    "ABROAD",
    "LAW",
    "MERGER",
    "OTHERS",
    "PURPOSE",
}

# Concepts that only say a question is about privacy: they count for "is this in the
# domain?" but weigh nothing in choosing a section (the word itself still does).
MARKERS: frozenset[str] = frozenset({"PRIVACY"})


def concept_words(concept: str) -> frozenset[str]:
    """Every word of one concept (e.g. the wish words of WANT)."""
    return frozenset(w for w, c in WORD_CONCEPTS.items() if c == concept)
