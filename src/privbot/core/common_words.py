"""Everyday words of English and French, written for this project.

A question's word found here (or another form of one: the matcher compares stems) is a real
word, not a typo, so it is never corrected towards the policy's vocabulary: "told" is not
"sold", "secretly" is not "securely", « objet » is not "object". Base forms are enough for
regular words; irregular forms are listed. Written accent-folded and lower-case, as
questions are normalised.
"""

from __future__ import annotations

_ENGLISH = """
able about above absolutely abuse accept accident accidentally accompany accomplish according
accurate accurately achieve achievement acknowledge across act action active activity actual
actually add addition additional address adjust admin administrator admit adult advance
advantage advice advise affect afford afraid after afternoon again against agency agent ago
agree ahead aim air airline airport alarm album alert alive allow almost alone along already
alright although always amazing amazon among amount analyse analyze ancient angry animal
announce annoy annual another answer anxious anymore anyway anywhere apart apologize app
apparently appeal appear apple application apply appointment appreciate approach appropriate
approve approximately apps area argue arm army around arrange arrive art article artist ask
asleep aspect assess assign assist assistant assume assure attach attempt attend attention
attitude attract audience author auto automatic automatically available average avoid awake
award aware away awesome awful baby back background backup bad badly bag balance ball ban band
bank bar barely base basic basically basis bath battery battle beach bear beat beautiful became
because become bed before began begin beginning begun behalf behave behavior behaviour behind
being belief believe belong below benefit beside besides best bet better between beyond bias
bible big bike bill billion bird birth birthday bit bite black blame blank blind block blog
blood blue board boat body bonus book boost boot border bored boring born borrow boss both
bother bottom bought bound box boy brain brand brave bread break breakfast bridge brief bright
brilliant bring broad broke broken brother brought brown budget bug build building built bunch
burn bus business busy button buy cable cache cafe calculate call calm came campaign cancel
cancer cannot cap capable capital car care career careful carefully carry case cash cast cat
catch category caught cause celebrate cell center central centre certain certainly chain chair
challenge champion chance channel chapter character charge charity chart chat cheap cheat check
cheese chicken chief choose chose chosen church circle citizen city civil claim class classic
clean clear clearly click client climate climb clinic clock close closed closely clothes cloud
club clue coach coast code coffee cold colleague college color colour column combine come
comfortable comment commercial commit common communicate community company compare compete
competition complete completely complex complicated component computer concept concern concerned
concert conclude condition conduct conference confirm conflict confuse confused connect
connection consider consist constant constantly construct consumer contain content contest
context continue contract contribute convenient conversation convert convince cool cope core
corner corporate cost costly couch could count counter couple courage course cousin cover
coverage crash crazy create creative creator creature crime crisis critical criticism cross
crowd crucial cry culture cup curious currency current currently custom customer cut cute cycle
daily damage dance danger dangerous dark date daughter day dead deal dear death debate decade
decent decide decision deep default defend define definitely degree deliver delivery demand demo
deny department depend deposit depth describe description design designer desk despite detail
detailed detect determine develop developer development dial diary dictionary die diet
difference different difficult digital dinner direct direction directly director dirty disagree
disappear discount discover discuss discussion disease dish display distance distinct distribute
district divide doctor dog dollar domain donate door double doubt down downstairs dozen draft
drama draw dream dress drink drive driver drop drug dry due during duty each eager ear early
earn earth easily east easy eat ebook economic economy edge education effect effective effort
either elderly elect election electric electronic element eliminate else elsewhere embarrass
emergency emotion employ employee employer empty enable end enemy energy engage engine engineer
enjoy enough ensure enter entertainment entire entirely entrance entry environment episode equal
equipment escape especially essential establish estate estimate etc even evening event
eventually ever evidence evil exact exactly exam examine example excellent except exchange
excited exciting excuse executive exist expect expensive experience expert explain explore
express extend extension extent extra extreme extremely eye face fact factor fail failure fair
fairly faith fake fall false familiar family famous fan fancy far farm fashion fast fat father
fault favor favorite favour favourite fear feature fee feed feedback feel feeling fell felt
female few field fight figure fill film final finally finance find fine finger finish fire firm
first fish fit fix flag flat flight floor flow flower fly focus folder folk follow food foot
football force foreign forest form formal former fortune forum forward found free freedom
frequent frequently fresh friday friend friendly front froze frozen fruit frustrate fuel full
fully fun function fund funny future gain game gap garden gas gate gave general generally
generate generation generous genre gentle genuine gift girl give given glad glass global goal
god gold golf gone good goods google grab grade gradually grand grant graph great green grew
ground group grow growth guarantee guard guess guest guide guilty guy gym habit hair half hall
hand handle hang happen happy hard hardly hate head heal healthy hear heard heat heavy hello
help helpful hence hero hi hidden hide high highly hill hire hit hobby home honest honestly hope
horrible horse hospital host hot hotel hour house however huge human hundred hungry hunt hurry
hurt husband ice idea ideal identification ignore ill illegal illness imagine immediate
immediately impact implement importance important impossible impress improve include including
income increase incredible indeed independent index indicate individual industry inform initial
inside insist install instance instant instead institution instruction insurance intend
intention interest interested interesting internal internet interview introduce invest
investigate invite involve issue italian item jacket job join joke journey judge jump junior
junk key kick kill kind king kitchen knee knew knock know knowing knowingly knowledge known
label lack lady laid land language laptop large largely last late lately later latest laugh
launch lay layer lazy lead leader league learn least leave lecture left leg lend length lengthy
less lesson level library licence license lie life lift light like likely limited line list
literally little live load loan local lock lonely long look loose lose loss lost lot loud love
lovely low luck lucky lunch machine mad made magazine magic main mainly maintain major make
making male man manage manager manner many map mark market marry mass master match material
matter maximum maybe meal mean meaning meanwhile measure meat media medium meet meeting member
memory mention menu mere merely message met metal method middle might mile military milk million
mind mine minimum minister minute mirror miss mission mistake mix mode model modern moment
monday money month mood moon moral morning mother motion motor mountain mouse mouth movie much
music mutual name narrow nation national native natural naturally nature near nearby nearly
necessary neck negative neighbor neighbour neither nervous net network never nevertheless new
news next nice night nobody noise none nor normal normally north nose note nothing notice novel
now nowadays nowhere number nurse obey obvious obviously occasion occasionally occur odd offer
office officer official often oil okay old once online open operate operation opinion
opportunity opposite order ordinary organisation organization organize original otherwise ought
outcome overall owe owner pace pack package page pain paint painted pair paper parent park part
particular particularly partly party pass passage passenger passion password past patient
pattern pause peace peak pen penalty pension people per percent perfect perfectly perform
perhaps person pet photograph physical pick piece pile pin pink place plain plan planet plant
plastic plate platform play player pleasant please pleased plenty plus pocket poem point pole
political politics poll pool poor pop popular population portion positive possess possibly post
postage pot potential pound power powerful practical practice praise pray precise predict prefer
pregnant premium prepare present president press pressure pretend pretty prevent preview
previous previously price pride primary prime prince principle print printed prior priority
prison prize probably problem procedure proceed process produce product profession professional
professor program programme progress project promise promote proof proper properly property
propose protector prove provide public publish pull punish purchase pure purple push pushing put
quality quantity quarter queen question quick quickly quiet quit quite quote race radio rain
raise ran random range rank rapid rare rarely rate rather raw reach react read ready real
realise reality realize really reason reasonable recall receipt receive recent recently recipe
recognise recognize record recover red reduce refer reference reflect regard regardless region
register regular regularly reject relate relation relationship relative relatively relax release
relevant reliable relief rely remain remember remind remote rent repair repeat replace reply
report represent reputation require rescue research reserve resident resist resolve resource
respect respond response responsible rest restaurant result return reveal review reward rich
ride ring rise risk river road rock role roll room root rough round route routine row royal rule
run rush sad sample sandwich satisfy saturday say scale scared scene schedule science score
screen sea season seat second secret secretly section sector seek seem select selection self
send senior sense sensible sent sentence separate series serious seriously serve server service
session set setting settle several severe shake shall shame shape sharp shift shine ship shirt
shock shoe shoot shop short shot should show shower shut shy sick side sign signal significant
silly silver similar simple simply since sing single sister sit situation size skill skin sky
sleepy slide slight slightly slip slow slowly small smart smell smile smoke snow social society
soft software soil solid solution solve somehow something sometimes somewhat somewhere son song
soon sorry sort soul sound source south space spam speak special specific specifically speech
speed spell spend spent spirit split spoke sport spot spread spring square staff stage stand
standard star start state statement station status stay steady step stick still stock stomach
stone stood storm story straight strange stranger stream street strength stress stretch strict
strike string strong strongly structure struggle student studio study stupid style subject
submit subscribe subscription subsequent succeed success successful such sudden suddenly suffer
sugar suggest suit summer sun sunday supply support suppose sure surely surface surname surprise
survey survive suspect switch symbol system table tablet take taken talk tall target task taste
tax taxi tea teach teacher team tear technical technique technology telephone television tell
temperature temporary tend term terrible test text thank theme theory therefore thick thin think
though thought thousand threat throat through throughout throw thursday thus ticket tidy tie
tight till time tiny tip tired title today together toilet told tomorrow tone tonight took tool
tooth top topic total totally touch tough tour towards town toy trade tradition traffic train
training transit transmit transport travel treat treatment tree trend trial trick trip trouble
truck true truly trust truth try tuesday turn twice type typical typically ugly unable uncle
understand understood unfortunately uniform union unique unit universe university unknowingly
unknown unless unlike unlikely until unusual upset upstairs urban urge urgent useful useless
user usual usually vacation valid valley valuable value variety various vast vehicle version via
victim village visit visitor vital volume vote wait wake walk wall wander war warm warn wash
waste watch water wave way weak wealth wear weather web wedding wednesday week weekend weird
welcome well went west wet whatever wheel whenever where wherever whether while white whole wide
wife wild willing win wind window wine winter wire wise wish within without woman wonder
wonderful wood word work worker world worried worry worse worst worth wound wrap writer writing
written wrote yard yeah year yellow yes yesterday yet young youth zero zone
"""

_ENGLISH_IRREGULAR = """
aren ate awoke bent bet bled blew bore bred built burnt chose clung couldn crept dealt did didn
doesn drank drew driven drove dug eaten fed fled flew flung forbade forgave forgot fought ground
grown hadn hasn haven hid hung isn knelt laid leapt led lent lit meant mustn needn rode rose
sang sank saw shook shot shouldn shown shrank slept slid spoke spun stole stuck stung swam swept
swore swung threw thrown trod wasn weren woke won wore worn wouldn wound wove wrung
"""

_FRENCH = """
abandonner abord absolument accepter accident accompagner accord accueil accueillir achat
acheter acteur actif action activite actuel actuellement adresse adulte affaire affiche afficher
afin age agir aider aile ailleurs aimer ainsi air ajouter aller allumer alors ambiance ame
amener ami amour ampoule an ancien anglais animal annee annoncer annuler apercevoir appartement
appartenir appel appeler appli application apporter apprendre approcher appui appuyer apres
apres-midi arbre argent arme arreter arrivee arriver article artiste aspect assez assister
assurance assurer atelier attendre attente attention attirer aucun aucune aujourd aujourdhui
auparavant auquel aussitot autant auteur automatique autour autrefois autrement avance avancer
avant avantage avenir aventure avion avis avocat bagage bailleur baisser balle banque bas base
bateau batiment battre beau beaucoup beaute bebe besoin bete beurre bibliotheque bien bientot
bienvenue billet blanc blesser bleu bloquer boire bois boite bon bonheur bonjour bonsoir bord
bouche bouger bout bouteille bouton branche bras bref bruit brulant brule bureau but cabinet
cacher cadeau cadre cafe caisse calme camarade campagne capable capitale car caractere carre cas
casser cause causer celle celles celui centre cependant certain certainement certes cesse ceux
chacun chaise chambre chance changement chanson chanter chapeau chaque charge charger chat chaud
chef chemin chemise cher chercher cheval cheveux chien chiffre chinois choisi chose chute ciel
cinema cinq circonstance clair classe cle clef client club code coeur coin colere combien
commande commander commencer comment commerce commun compagnie complet completement comprendre
compris compter concernant concerner condition conduire confiance confier confort connaissance
connaitre connu conseil conseiller considerer construire contenir content contenu continuer
contraire contre convenir conversation copain corps cote coucher couleur coup couper cour
courant courir cours course court couter coutume couvrir craindre creer crier croire cuisine
cultiver culture curieux dame danger dangereux date davantage debut decider decision decouvrir
decrire dedans defendre dehors delai demain demeurer demi dent depart departement depasser
depuis dernier derriere des descendre desormais dessous dessus destin detail deux devant devenir
deviner devoir dieu difference different difficile dimanche diner dire directement directeur
diriger discours discussion discute discuter disparaitre disponible disposer distance divers dix
docteur doigt domaine dommage donc dormir dos double doucement douleur doute doux douze dresser
droite drole dur durant dure durer eau ecart echange echapper eclairer economie ecouter ecran
ecrit edition effet effort egalement eglise eleve elever eliminer eloigner embrasser emmener emotion
empecher emploi employer emporter encore endormir endroit energie enfin engager enlever ennemi
ennui enorme ensemble ensuite entendre entier entourer entre entree entrer envie environ envoyer
epaule epoque equipe erreur escalier espace espagne espagnol espece esperer espoir esprit
essayer essentiel etablir etage etat ete etoile etrange etranger etude etudier evenement eviter
exactement examen exemple exister experience expliquer exposer exprimer exterieur fabriquer face
facile facilement facon faible faim famille fatigue faute fauteuil faveur femme fenetre fer fera
ferez ferme fermer fete feu feuille fier fievre figure fil fille film fin finir fixer fleur fois
fonction fonctionner fond force forme fort fou foule frais franc francais frapper frere froid
fromage front fruit fuir fumer futur gagner garcon gare gauche genre gens gentil geste glace
gout grace grand grandir gras grave gris gros groupe guerre guider habiller habitant habiter
habitude haut hauteur herbe heure heureux hier histoire hiver homme honneur hopital horaire hors
hotel huit humain idee ignorer ile image imaginer immediatement importance important importer
imposer impossible inconnu indiquer inquiet inquiete inquieter installer instant instruction
intention interdire interesser interet interieur inutile inviter italie italien jaloux jamais
jambe jardin jaune jeter jeu jeudi jeune joie joli jouer jour journee juge juger jupe juste
justement lache laisser lait lancer langue large larme lecture leger lendemain lent lequel
lettre lever libre lieu ligne lire liste lit litre livre livrer loin long longueur lorsque louer
lourd lumiere lundi lune lutte lycee machine madame magasin magnifique maigre main maintenant
maintenir mairie maison maitre mal malade maladie malgre malheur manger maniere manquer marche
marcher mardi mari mariage marier matiere matin mauvais mechant medecin meilleur membre menacer
mener mensonge mentir mer merci mercredi mere merite message mesure metier metro mettre midi
mieux milieu mille million mince minuit minute miroir mode moins mois moitie moment monde
monnaie monsieur montagne monter montre montrer morceau mort mot moteur mourir mouvement moyen
mur musique nager naissance naitre nature naturel neanmoins neige nettoyer neuf neveu nez noir
nom nombre nombreux nommer non nord note nourrir nourriture nouveau nouvelle nuit nul numero
objet obliger observer occasion occuper oeil oeuvre offrir oiseau ombre oncle ordinateur ordre
oreille organiser origine oser oublier ouest oui outil ouvert ouvrir page pain paix panne papier
paquet par paraitre parce pareil parent parfait parfois parler parmi parole part partie partir
partout parvenir passage passe passer patience patron pauvre payer pays peau peine pendant
penser perdre pere periode permettre personne perte peser petit peu peur peut-etre photo phrase
piece pied pierre pire piscine place plage plaindre plaire plaisir plan plat plein pleurer
pleuvoir pluie plupart plusieurs plutot poche poids point pointe poisson poitrine police pomme
pont porte porter poser posseder poste pouvoir pratique premier prendre prenom pres present
presenter presque presse presser pret preter prevoir prier principe printemps prix probablement
prochain proche produire produit professeur profiter profond programme progres projet promenade
promettre propos proposer propre proteger prouver public puis puisque puissant quai qualite
quand quant quart quartier quatre quelque quelquefois question queue quitter quotidien raconter
raison ramener rang rapide rappeler rapport rare rarement ratee rater recevoir recherche
reconnaitre reflechir regard regarder region regle regretter rejoindre relation remarquer
remercier remettre remplacer remplir rencontrer rendez-vous rendre rentrer repas repeter
repondre reponse reposer reprendre reseau reserver resoudre respecter respirer rester resultat
retard retenir retour retourner retrouver reunion reussir reve reveiller revenir rever revoir
riche rien rire risque robe roi role roman rond rose rouge route rue sable sac sage saison
salade sale salle salon saluer samedi sang sans sauter sauver savoir scene seance sec second
secret secretaire seigneur selon semaine sembler sens sentir separer sept sera serai serez
serieux serrer service servir seul seulement siecle siege signe signer silence simple simplement
situation six societe soeur soin soir soiree soleil solution sombre somme sommeil sonner sorte
sortie sortir souci soudain souffrir souhait soulever souligner soupe sourire souvenir souvent
souviens spectacle sport sportif stade style sucre sud suffire suite suivant suivre sujet
superbe supporter supposer surprise surtout sympathique systeme table tableau tache taille
tandis tant tante tard tarif tasse taxe tel telephoner tellement temoin temps tenir tenter
terminer terrain terre tete texte theatre tirer titre toit tomber tot toucher toujours tour
tourner toutefois toux train traitement traitent traiter trajet tranquille travail travailler
travers traverser treize trembler trente tres tristesse trois tromper trop trou trouvent trouver
truc tuer type uniquement unite usine utile vacances vache valeur valise valoir veille vendredi
venir vent ventre verite verre vers verser vert veste vetement viande victime vide vie vieux
village ville vin vingt visage visite visiter vite vitesse vivre voici voila voisin voiture vol
volonte volontiers vouloir voyage voyager vrai vraiment vue zero
"""

# Frequent words of either language that the typo fixer once turned into another word
# ("decrease" into "increase", "venu" into "vendu", « tiens » into « tiers », "breath" into
# "breach"): each of the 12,000 most frequent words of English and of French (a word
# frequency list consulted while writing this, not shipped) was run through it, and those it
# changed are listed here, with those of the next 13,000 it changed into a word that names a
# privacy concept (« gendre » into « vendre », "polishing" into "phishing"). Left out: changes
# that mend a typo ("alot", "goin", "gmail"), that give another form of the same word (the
# first five letters alike: « vendus » into « vendues », "infants" into "infant") and that
# drop a negating prefix ("insecure" into "secure": the same section answers both), but for
# "unwanted" and "unnecessary", which "wanted" and "necessary" would turn into a wish.
_FREQUENT = """
abaisser abby abdos abe abeilles abnormal abstenir acceleration accelere accent accents
accusations ace acheve achevee achever acide acre acres acronyme actor acute adhered adhering
adjectif adjectifs admettre admis adoption adsl advent adversaire advocate affinite affinites
affirmations afflicted african agitation agnes agreablement agrege agrement agresse agresseur
aie aient aies aille ailments aiment ait alain albert aldo ale alger algerie alike alimentaires
alimentation alimenter aliments alla allen alley allier allo allocated allocation allocations
allonger allotted alloy allumage ally almighty alter alum amandes amant amenagement amenagements
amid amiens amin amir amish ample analogique andy ange anger anges angulaire anna annexes ant
antibody antilles antiques ants aout apaisement apprends apprenez appris arche archer arete
argument arid arising ark armement arrest arrested ascended ash aside asperger ass assembled
assemblee asses atout attained attaining attarder atteinte atteintes atteints attendue attenuer
auction audi aurons austerite automatisation autopsie avais ave aviation awaiting awhile ayant
aye ayons bac backers bacon bacteria bacteries bague baies baise bald bale ballet balneaire
banging banniere barrages barrette barriere barrieres barriers barry baseball basin basiques
basque bass basse basses bataille batch bay bean beard beast belge belly benches bend bending
berger besancon biblique bibliques bidon bijou billy bin binaire bingo bios bisexual bitter blah
blair blake blast ble bleach bleak bleeding blessure bleus blink bloc blocs blois blond bloom
blowing boeing bol bold bolt bond bonhomme bonte boo boston bottes boue boule boulet bourre bow
brace brackets brad brake breath breathe breathing breche breeding breeze brent bresilien brest
brewing brewster brille brock brooding brook brooke brosser bruising brun brush brut bucks bulle
bulls bullying bunny burton bury bust buteur butt butter cachent cachets cad caen cage cahier
cain caire cal calcaire calf calvaire camille camions camp canalisation candle candles cannabis
canne canning cantine capsules capt capteurs caption captives carbs carey carl carottes carpe
carpet carriage carriere carrieres carthage carve casey casque casques castres casually
catalytic catering catherine catheter caves celestes cendre cense censes censure centaine
centaines certification cest cha chad chaleur champlain chan chanceux chandler chanoine chantage
chaos chaplain char charente charite charme charming chars chartres chase chasing chasse
chasseur cheek cheeks chene chick chicks chile chili chilien chill chilling chime ching choir
choke chop choux chow chuck cieux cine cire citation cites civilisation clan claque clarinet
clarte clash claw claws clinging clinique clips clogged clone coffre coiffer coiffure col cole
colette colin collants collar colloque colonies comedien comete comite comites commended
commissaires communautaire communautaires commute commuter commuters comp compensation
complementaire complementaires comportant comporte comportement comportements comporter
composant composer composes composition compositions compote compounds comptabilite comptable
comptage comptent compteur comte comtesse concentrent conclure concorde concrete concretement
conde condemnation confident configuration confined confirment congestion congo congrats
congregation conjointement connerie conneries connexes connus conquer conquest conquete consacre
consacrer conscient conscients console consoles consorts conspiration constater constellation
constipation contamination continental contraste contribue contribuer convention convenu
convicted conviction convictions convient convocation coo coordinateur corde cordes cornet
corruption cos cotisation cou coude couilles coule coulter coupable courbe coureur coureurs
couru couvent couvert couverte couverts coventry cpr cps crack cracked crackers cracking cracks
craft crains craintes cran crates creches creed creek creep creme crete creuse creux creve
crever crevette crevettes crew critiques croisent croit croix crook crooked crop crops cruising
crus crust cue cueillir cuisse cuite cuivre culte cunning cupboard cure curt curtain curtains
dads dante dare daring das datation davis deacon debarquer debt decede december deception
deconner decoration decors decrease decreased decret dedicace dedication deduire deeds defeated
defect defile deflection deformation deformed degagement degrader degrading delegate delegates
delegation delhi delicate delicious delire delusion demarrer demission demographique demons
demonter denial dennis dense densite density dependre depenser depit depleted depletion
deploiement deployed deployer deployment dept deputies deranger derive deserted desordre
dessinee dessiner dessins destruction detained detente detention deteste detester detour
detourner detresse dette devenu devenues deviens devient devise devotion devrions diable dieux
digne dinde dion dirt disc disco disk disorder displacement disques dive divertissement divine
diving division divisions dixieme doc documentaire documentaires dodge dominion dong donny donut
doree dorment dot dotation dotations dots douceur douche doue doutent doyen drenched drift
drilling droid drone drown drowning drunk ducks dude duel duke dument durent durete dwelling
earners ease echeance ecoliers ecolo ecologique ecolos ecossais ecoule ecouler ecoules ecrase
ecriture ecrivent ecrouler ecurie edification edith edna eds edt efficace efficacement
effondrement effrayer egalisation eight elegant elevages eligible elire elite ellen ellis elves
emerge emet emettre emirates emission emissions emitted emoi emparer empire emprunte emulation
enchainement encontre encounter encre endanger endorsement endurance endure enduring enfer
enfermer enfonce enfoncer enseigne enseignement enseignements enseigner enseignes entend
entendez entente enterrer entirety entourage entrants entrepreneur enveloppe envisage envoient
epais epargner epee epic eprouve equite ere eruption essaient essonne estiment estranged etain
etalement etant etape eteindre etend eternal eternel ethan ethnique ethniques etions etonnement
etroite etroitement eut eux evacuation evasion eve everton everytime evocation evoke evoluer
evolutions evoque evoquer exceeded exhorte exile exit expanded expertise explanation
explanations exploded exposition expositions expriment extraite facettes facilite faction
factions facultes faculty faille faint fairy faisable faisons falcon fanny farce fasse fatalite
faudrait faune favorise fax feast feat feather feathers federale feet felicitation fellow
fellows fente fermier feront fest fiable fiber ficelles fiches fiction fidelite fierce fighters
filet filets filieres filly finite finn fireball firent fiscales fiscalite fist five fixtures
flandre flashing flaws flee fleeting flemme fling floating flock flood flooding flot flotation
flou flux focal foin foire foix folie folle folles fonce fondation fondations fontaine fools
forbes ford foremost foret fork formule formules forth fortifications fortified fosse fossile
fountain four fourneaux fout fracking fracture frame freaking fred freed freelance friction
fried fright frites fucks funk furent fuse fused fut gabonais gacher gage gal galettes gamme
gand gants garages garce gardien gardiens gardiner gardner garments garner garnered garnet
gauthier gavin gears gendre generic gentiment genus geometric geometrique geometriques
geopolitique ghosts gif giles gilles ginger glance glove goat goose gould govt gown graduate
graduation grain grains granger granite grape graphique grappe gratification gratte gravel
gravite gre grece grele greve grid gross grosse grove guere guilt guise hache hais halte han
handy hank hanna hans hardest hare harry hart hastings hatch hausse havre hawks hayes heather
heaven heck height heir hell hen herd heritier herve hesitation hicks hiking hip hips holes
hollow holt hommage hone honey honnetement honnetes honte hooked horns hose howl hrs hut
hysterique ian ibn icon ieee imitation imiter implication implications implique imposition
inauguration incident incite inciter inclined inclusion inclusive indre induction inedit infant
infants infected infections inferred infinitely infirmier inflamed inflammation infraction
infractions infusion ing inherent injected injection ink inner innovations inondations
inquisition insensible insensitive inserer inserted inspire inspiree inspirer instinct
insulation insulter intact intenses intensive inter intra invocation invoquer ions irais iris
isbn ish isolation isolement issus ivre jacks jail jason joe jogging joint jon jones jouet jules
julie jumelles jun junction june jus karen katherine keyword kidd killers kinks kits klein
kneeling knight knot lace lachete lad lads lagging laissent laissons lakes lamented lane langage
laquelle larry las laser latter laughter laura lave laver lawn leach leafs leaning leaps lease
leather lecteurs leeds legalisation legion legislation leisure lens lenses leon lesions lester
liaison liaisons liban lick lieux lille linen linge lions lisse litter logan logic logo loic
lointain loire loki lon looming looting lords lotion louche loupe louvre loyal lynch machete
mack madison magie maids maintes makeover makers malaise malaisie mall mamie manche manches
manipulation manor marc marcel maree marge marin marine mario marne marqueur marriage marriages
marron mart marteau mas mask masks mason massage masturbation maternal matraque matrice
maturation matured maux mayo mecontentement medal medial mediane mediation medieval mediocre
meditation megan mel melanger meler melt melting menage menages mend meneur meneurs menteurs
mentoring mentors menus merchant merle merry merveille mesdames mesh mess messing metre mettent
metz meurs meuse mexicain mexican mich mick mien miens miners miniere mint mister mitch mlle mme
mobilier mobilisation modem moderation modere module moindre moindres moist moisture mold
moniteur monk monkey monster monsters monstre monstres montent montrent monument monuments moore
moreover morin mormon moses mosque mosquee mosquees moto motorisation motrices mouche mould
mourning mouton muet muni munitions muse mutation mysteres mystique myths nails nat natation
natifs ned needy negligence nerds nerve nest neuvieme niche nico nie niece nil niles nimes nique
noces nomment nonfiction nonsense noon norm normalisation normes norms notable notables notaires
notation novice novices noyes nuire nuisible nuisibles null nus nut oblique obsession obtention
obtient occident ocde older ole olive onde onto onze oppression ops optic optimisation optique
orale orange orbiting ordained ore orientation ose osent otage ounce outlawed outlined outrage
outre ovation overcome overhead owen owl pacific packers pact pad pads paille painters paisible
palace palais pale palette pallet palmares pan panthers panties pants papal parades parages
paralyse pardonne parite parlent particle particles particules partisan partisans paru parution
parvient passible passport pastures patates patch patches patent patents paternal paterson paths
patrie pattes paved pavement paving payeur payne paysages paysanne pbs peach pearson peeing peer
peindre peinture peintures pelle penalite penalites pence penibles pente perce perceive
perceived percevoir percu percussion percussions perd perdant perdent perds perenne perigord
perilous perle permette perou perquisition perquisitions perron persan persisted pertaining
perth peru pervers peste petain peterson peuple phare phares phase phony piege piemont pierce
pigment pigments pike pills pilotage piment pince pinel ping pint pipe piqures pis pisse pissed
pisser pitching pits plague plaisent planche plancher planches plastiques pleaded pleurent pleut
plonge plongee plonger plongeur plot plu plume pods poete poetes poetique poils poing pois poker
poland polarisation polemique polemiques polishing pologne pompes ponds portage portal portent
portique portiques porto portrait posed posee posees posing potable potager potion potter
poubelle poubelles poumons pourrons poursuit pourtant poussait powder preach preacher prealable
precedemment precedent preceptes predicament predit prehistorique premunir prenatal prennent
prenons preparatoire prescribed prescription presentons preserve pression pressions prestation
pretendre pretention pretentions pretexte pretres prevalent prevoit primate primates primaute
princess prioritaire pris prise prises privy probabilite proclamation procure proie prolifique
prom promener promesse promesses promet promu prone prononce prononcee propager proportions
propositions pros prosecution prostate protestation protheses proto protracted prouvent provenir
provient provision provisions provocation provoque provoquer prudents puissance puissent puits
punch puncture puni punition purent qatar quad quarante quelconque quentin querelle querelles
quests quiz quo racers racial racistes rack radicale radicaux rage raid rails rainy raisin
rajoute rajouter rally ramasser ramifications rampe rand rangers rants rapporteur rarete rase
rash rassure ratification ratified ration raven rayonnement rayons reacteurs reaction reactions
realm rebord recapture reception recession recevez recit reclament recollection reconnais
reconnus recounts recreation recul reculer recus recut redaction redire redonner reduire
reecrire reellement reese refection referenced refined reformer reformes refuge refugier refute
regagner regain regal regale regie regiment reich reid rein reinforce rejet rejette rejouer
reliance relieve relieved relire relocated relocation remainder remanded remedier remet remise
remission remonter remords remorque remporte remporter remunere renaissance renard rendent
rendered rendu rendue rene renforce renforcee renforcement renforcer renouveau renovation
rentable rental rentrent repandue reparation reparations reparer reparler repart repay repere
reperer reperes replay replique repousse repousser repression reproche reproduction reproduit
republic republique rescapes reservoir resignation resigned resonne resort respiratoire
ressemble ressembler ressent ressenti restons restrain restrained restraining resurrection
retenu rethinking retiens retient retrieve reunification reunited revanche revelation revelent
revenons reversed reviennent revisited revive revolt revolte revolution revolver revolves
revolving rewrite rhine rhone richter rico ridden rimes rip risen rite rites rivalite roach
roche rochester rom rookie ross rot rotation rotten routiers rover rowling rubrique ruby ruelle
ruelles ruin ruining ruins rulers ruse sache sachets sacred said sail sailor saint sainte
saintes salem salt sanction sanctions sand sands santo sas sat saturation saura savior savons
scar scars scent scolaire scout screamed screaming seal seals seches secluded secrecy secteurs
seduction seed seeds seins seize selfless seme semelle semen senat sensibilites sensuelle
sentiers sep sequelles sequence serbe serbie serge sergeant sergent serions serment serpent
serpents seth seven severite sewing sex sexe sexes shack shade shades shale shane shark sharks
shave shaved shawn shed sheen sheep shell shells shire shite shone shore shores shortage shout
shouting shred siens sight sights silk sim sims sin singh sinks sins sip sir skate skid skipped
slack slate slaughter slave slaves sleek slick slope slot slut smashing smic smoothly snare
sneak soaring sobre sobriete socialisation socks socrates sod softball sol solaire solaires
soldiers sole solicitation sonde sonnent sony soo sorciere sore sors sos sou souche sought sour
sourd soutenir soutient souvient soviets spain spanking spanning spans spare spawning spear
spice spikes spill spin spinner spinning spite spoon spur stabilisation stable stack stained
stake stakes stalin staline stall stamping stance stanford starch staring starving ste stead
steak steam steel steep steering stems sterilisation sterling stickers stiff sting stirling
stirring stoke stomp stomping stoop stoppage stove strapped stray stroking struck stunning
stunts subit submarine succeder sucer sueur sums supper supplice supposition supreme surf surge
surprend surprendre survient survivre sutton swallowed swans sweating sweep sweeping swelling
swing swinging swipe synonyme syrie systematiquement tabasser tack tackling taff tails taire
tale tales tan tank tankers tanks tate taylor tchad teal teasing teint telecommande temples
tempo tempt tendre tendu tendue terreur terror terry testimony theo thorough three thy ticking
tides tiens tigers til tile tiles tissues tits token tomes tonalite tongue tony torch tore
tories torn tory touraine tournois towel tract tracteur tracteurs traction tractors tracy
traders tragique trahison trail trailer trainers trame trancher tranches trappe trapping trash
tray treason treasure treasures trench tribal troll troop troupe trous trousers trout trouvons
troy tune tunis turc turin tutelle tutor twin twitch ultimate unclear uncontrolled unidentified
unification unir unix unload unloaded unloading unlock unnecessary unstable unsure unwanted
upcoming upholding uprising usd usda uss usure valable valerie valls valorisation valuation
vante varie varient vas vaudrait vault vaux veau vecut vedettes vendeurs vendeuse venerable
venere venge venons venture ventures venu venue venues verge vergers verone verrons versus
viabilite viability viable vibe vice victoire victories viennent viens vient vigne vince viol
viole violer virage vision visions visually vitalite vitre vive vivement vivez vocation voeux
volent volet volets voleur volt vomir vomiting von votent voters vouee voute vows vox vus wage
wages wagner wales walt walter wan warcraft wards wasnt watt watts weakened webb webster weeds
weeping welsh wen wendy whack whale wheat whine whipped whoever whooping whore width wight wii
wit witch witness wong workable worms wrecking wretched wright xvie yelling yves
"""

COMMON_WORDS: frozenset[str] = frozenset((_ENGLISH + _ENGLISH_IRREGULAR + _FRENCH).split())
"""Accent-folded everyday words of both languages (base forms and irregular ones)."""

FREQUENT_WORDS: frozenset[str] = frozenset(_FREQUENT.split())
"""Frequent words left as they are, each exactly: unlike COMMON_WORDS, their other forms are
no everyday words (a misspelt "colleted" still becomes "collected", not "collet")."""
