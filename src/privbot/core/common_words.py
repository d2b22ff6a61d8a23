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
# changed are listed here, less a few where the change mends a typo ("alot", "goin", "abou").
_FREQUENT = """
abeilles abnormal abstenir acceleration accelere accent accents accusations ace acheteur
acheteurs acheve achevee achever acide acquise acre acres activist activists actor acute
admettre admis adoption advent adversaire advocate affichage african agitation agnes agrement
agresse agresseur aie aient aies aille aiment ait alain albert ale alger algerie alike
alimentaires alimentation alimenter aliments alla allemand allemande allen alley allier allo
allocated allocation allocations ally almighty alter amant amenagement amenagements americain
americaine americains amid amiens ample analyst analysts andy ange anger anges anna annexes
anniversary ant antilles antiques ants aout apparel apprends apprenez appris approuve arche
archer archipel argentin argument arising ark armement arrest arrested artisanat ash aside ass
assembled assemblee asses atout atteinte atteintes atteints attendons attendu attendue attentat
auction audi aurons austerite australian australien austria authenticite autopsie autoroute
autoroutes avais ave aviation awaiting awhile ayant aye ayons bac bacon bacteria bacteries bague
baies baise bald bale ballet banging bankruptcy banniere banquier barrages barriere barrieres
barriers barry baseball basin basque bass basse basses bataille batch bay bean beard beast belge
belly bend bending berger besancon bidon bijou billy bin bingo bisexual bisous bitter blah blair
blake blast ble bleeding blessure bleus blink bloc blocs blond bloody bloom blowing boeing bol
bold bolt bond bonhomme bonnet bonte boo bordel boston bottes bouclier boue boule boulet bourre
bow brace brad brake breath breathe breathing breeding breeze brent bresilien brest brewing
brillant brillante brille brock brook brooke brun brush brut bucks bulle bulls bullying bunny
burton bury bust buteur butt butter cachent caen cage cahier caire cal calcaire calf calvaire
camille camions camp canadian candidate candle candles cannabis canne cannon cantine capitaine
capitol capt capteurs caption carey carl carottes carpet carriage carriere carrieres casey
casque casques casually catherine cautious caves cense censes censure centaine centaines
certainty certification cest cha chad chaleur champignons championnats championship chan
chanceux chandler changent chantage chanteuse chantier chaos char charente chargeur charite
charme charming chars chase chasing chasse chasseur cheek cheeks chene cherchent chercheur chick
chicks chile chili chill chilling choir choke chop choux chuck cieux cine circular cire citation
cites civilisation clan claque clarte clash clinique clips clone closet coffre coiffure col cole
colin collar collector collectors colloque colonies comedien comite comites commentary
commissaires communautaire communautaires communautes comp compagnon companion compensation
complement complementaire complementaires complexite compliment complot comportant comporte
comportement comportements comporter composant composer composes composition compositions
compounds comprenez comprenne comprised comptabilite comptable comptent compteur comte comtesse
conclure concorde concrete concretement conde confidence confident configuration confined
confirment congestion congo congrats congregation conjointement connards connerie conneries
connus conquer conquest conquete consacre consacrer conscient conscients consensus conservatoire
console consoles conspiration constate constater consul consulat contamination contempt contenus
continent continental continents contingent continuite contradiction contraint contrary contrast
contraste contribue contribuer contributors controleur convention conventions convenu convicted
conviction convictions convient convocation corde cordes correlation corridor corruption cos
cotisation cou coude couilles coule couler county coupable courbe coureur coureurs courrier
courtesy courtney courtois couru couvent couvert couverte couverts couvrent crack cracked
cracking cracks craft crains craintes cran createur creatif creed creek creep creme crete creuse
creux creve crever crew critiques croit croix crop crops crus crust cue cuisinier cuisse cuite
cuivre culte cure curtain curtains dante dare daring das davis debarquer debt decede december
deception decharge deconner decoration decors decrease decreased decret dedicace dedication
deduire deeds defaites defeated defect defile delegate delegates delegation delhi delicate
delicious delire delivre delivrer demandeurs demandons demarche demarches demarre demarrer
demission demographique demons demontre denial dennis dense densite density dependre depenser
depenses depit deploiement deployed deployer deployment dept deputies deranger derive desordre
dessinee dessiner dessins destruction detained detecteur detector detente detention detenus
deteste detester detour detourner detresse dette devenu devenues deviens devient devint devise
devoiler devotion devrions diable dieux differential digne dion dirt disappointment disc disco
disk disorder disparait disparus disponibilite dispositions disques distant dive divertissement
divine diving division divisions dixieme doc doctorat documentaire documentaires dodge dominion
dong doree dot dots douceur douche doue doyen drift drilling drone drown drowning drunk ducks
dude duel duke durent dwelling ease echeance ecologique economist ecossais ecrase ecriture
ecrivent ecurie eds efficace efficacement effondrement eight electro elegant eleven eleveurs
eligible elire elite ellen ellis emerge emet emettre emirates emission emissions emparer empire
emprunte encontre encounter encre endorsement endurance endure enduring enfer enfermer enfonce
enfoncer enseigne enseignement enseignements enseigner enseignes entend entendez entente
enterrer entirety entourage entrepreneur enveloppe envisage envoient epais epargner epee epic
eprouve equipage equite ere eruption essaient essonne estiment etant etape eteindre etend
eternal eternel ethan ethnique ethniques etions etroite etroitement eut eux evacuation evasion
eve everton everytime evoluer evolutions evoque evoquer exceeded excess exclure exile exit
expanded experienced experiencing expertise explanation explanations explode exploded explose
exploser explosive exposition expositions expres expriment facilite faction factions factory
facultes faculty faille failli faint fairy faisons falcon fanny farce fasse faudrait faune
favorise feast feat feather feathers federale feet fellow fellows fermier feront fest fiable
fiber fiches fiction fidelite fierce fighters filet filets filieres finite finn firent fiscales
fiscalite fist five fixtures flandre flashing flaws flee flemme floating flock flood flooding
flot flou flux focal foire folie folle folles fonce fonctionnaire fonctionnaires fondation
fondations fontaine fools forbes ford foremost foret forge forged fork formule formules forth
fosse fountain four fout fracture frame franche franchi franchir franchise franck franco
francois francoise freaking fred freed freelance friction fried frites fucks funk furent fut
gacher gage gal gamme gand gants gardien gardiens gardner gauthier gavin gears generic gentiment
genus german germans ghosts gif gilles ginger glance glove goat goose govt gown graduate
graduation grain grains granite grape graphique gratte gravel gravite gre grece greve grid gross
grosse grove guere guilt guise habitue habituel habituels habituer habitues hache hais halte han
handy hank hans hardest hare harry hart hastings hatch hausse havre hawks hayes heath heather
heaven heck height heir hell herd heritier herve hesitation hiking hip hips historian historians
historien historiens holes hollow holt hommage honey honnetement honnetes honte hooked horns
hose hut ian ibn icon illimite imitation imiter implication implications implique imposition
impossibilite inacceptable inadequate inappropriate inauguration incapable incident incite
inciter inclined inclusion inclusive indian indirect induction inedit infant infants infected
infections inflammation infraction infractions ing inherent injected injection injustice ink
inner innovations inondations insecure insecurite inserer inserted inspire inspiree inspirer
instable instaurer instinct instructor insulation insulter intact integralite integrite intense
intenses intensive inter interface interim interpret interruption intersection intervention
interventions intra introduire inventeur investor investors invisible irais iris irregular
irrelevant irresponsible ish isolation isolement issus ivre jail jason joe joint jon jones jouet
judiciary jules julie jumelles jun junction june jus karen katherine killers kindle kits klein
knight knot korea lace lad lads laissent laissons lakes lancent lane langage laquelle larry las
laser latter laughter laura lave laver lawn leaning lease leather lecteurs leeds legalite legion
legislation legitimite leisure lens lenses leon lesions lester liaison liaisons liban libertes
lick lieux lille linge lions lisse litter livret localite logan logic logical logo lointain
loire lords louche loupe louvre loyal lynch machinery mack macro madison magie maintenu maintes
maintien maitresse makers malaise malaisie mall mamie manche manches manipulation manor manquent
marc marcel marchand maree marge marianne marin marine mario marne marriage marriages marron
mart marteau mas mask masks mason massage maternal matrice maux mayo medal mediation medieval
mediocre meditation megan mel melanger meler melt melting membrane menage menages menus merchant
merry merveille mesdames mesh mess messing metre mettent metz meurs meuse mexicain mexican mick
mien miens mighty miners miniere mint mistaken mitch mlle mme mobilier mobilisation mobilite
modem moderation modere module moindre moindres moist moisture mold momentum monetaire moniteur
monk monkey monster monsters monstre monstres montage montana montent montreal montrent monument
monuments moore moreover morin mormon moses mosque mosquee mosquees moto mouche mounting
mourning mouton muet muni munitions mutation mysteres mystique myths nails nat natation
necessarily necessite necessity ned negligence nerve nest neuvieme niche nie niece nimes nique
noces nonsense noon norm norman normes norms notable notables notation nouveaute nuire null
numerous nus nut obsession obtention obtenues obtient occident ocde offert offerts officiel
older ole olive onde onto onze operationnel oppression ops optimisation optique orale orange ore
organisme organismes organisms orientation ose osent otage ounce outlined outrage outre ouvrier
ouvriere ouvriers overcome overhead owen owl pacific packers pact pad pads paille paisible
palace palais pale palette palmares pan panthers panties pants parameters pardonne parish parite
parlent partenariats particle particles particules partiel partisan partisans paru parution
parvenu parvient passport patch patches patent patents paths patrie patrol pattes payne paysages
peach pearson peer peindre peinture peintures pelle pence pente perce perceive perceived
percevoir percu perd perdant perdent perds perdus perle permette perou personnage personnages
personnalite personnalites perth peru pervers peste peterson peuple phare phares phase physician
piege pierce pike pills pilotage pince ping pint pipe pis pisse pissed pisser pitching pits
plague planche plancher planches plastiques pleaded pleut plonge plongee plonger plot plu plume
poete poetes poetique poils poing pois poker poland polemique polemiques pologne pompes portail
portal portent porteur porteurs porto portrait posed posee posees posing posters posture potable
potter poubelle poubelles poumons pourrons pourront poursuit pourtant powder preach preacher
prealable precedemment precedent predit prefet prennent prenons prescribed prescription presence
preservation preserve presidential presidentiel pression pressions prestation prestations
pretendre pretexte pretres prevalent prevenu prevoit princess prioritaire pris prise prises
probabilite procede proceder procedes proces processus procure proie prom promener promesse
promesses promet promu prone prononce prononcee proportions propositions proprietary propriete
pros prosecution prostate protecteur proteines proteins protest protestation protester
protesting protests prouvent provient province provision provisions provocation provoque
provoquer puissance puissent puits punch puni punition qatar quad quarante quelconque quentin
quiz quo racial racistes rack radicale radicaux rage raid rails rainy raisin rajoute rajouter
rally ramasser rampe rand rangers rapidite rapporteur rash rassure raven rayonnement rayons
reacteurs reaction reactions realm reception recession recevez recit reclament recommence
recommencer reconnais reconnus recouvre recreation recul reculer recus recut redaction redonner
reduire reellement referenced refined reforme reformer reformes refuge regain regie regiment
registry reglementaire regulatory reid rein reinforce rejet rejette reliance relieve relieved
relire remainder remedier remet remise remonter remporte remporter renaissance renard rendent
rendered rendu rendue rene renforce renforcee renforcement renforcer renouveau renovation
rentable rental rentrent repandue reparation reparations reparer repart repay repere reperer
reperes replay replique repondu repousse repousser repression reproche reproduction reproduit
republic republique requiert requin requins reservoir resignation resigned resort responsabilite
responsabilites ressemble ressembler ressent ressenti restons restreint resurrection retail
retailer retenu retiens retient retrieve reunited revanche revelation revelent revenge revenus
reversed reviennent revive revolt revolte revolution rhone rico rip risen rivalite roche
rochester rom rookie ross rot rotation rotten routiers rover rubrique ruby ruin ruining ruins
rulers sache sacred said sail sailor saint sainte saintes salem salt sanction sanctions sand
sands sas sat saura savior savoie savons scar scars scent scolaire scout screamed screaming seal
seals secteurs seduction seed seeds seins seize senat sentent sentiers sep sequence serbe serbie
serge sergeant sergent serions serment serons serpent serpents seth seven sewing sex sexe sexes
shade shades shale shane shark sharks shave shaved shawn shed sheep shell shells shore shores
shortage shout shouting siens sight sights silk sim sims sin singh sins sip sir skate skipped
slack slate slaughter slave slaves slick slope slot slut smashing smic smoothly sneak sobre
socks softball sol solaire solaires soldiers sole sommet sommets sonde sony soo sorciere sore
sors sos sou souche soucieux sought sour sourd soutenir soutient souvient spain spare spear
specialise specialisees specialises specialist specialty species specified specify spice spill
spin spinning spite spoon spur stable stack stained stake stakes stalin staline stall stance
stanford staring starving statue statues steak steam steel steep steering stems sterling
stickers stiff sting stirring stoke stopper stove stray struck stunning subit submarine
subsidies succeder sucer sueur sums supervisor supper supreme surf surge surprend surprendre
survient survivre suspendu suspendue sutton sweating sweep sweeping swelling swing swinging
synonyme syrie systematiquement taff tails taire tale tales tan tank tanks tate taylor tchad
technician teint temples tempo tendre tendu tendue terreur terror terry testimony theo thorough
threads threaten threatens three thy tiens tigers til tile tiles tissues tits token tomes tongue
tony torch tore tories torn tory touchent touraine tournage tournent tournois towel tract
traction tracy traders traduit tragique trahison trail trailer trainers traitor traitre trame
trancher tranches transform transformed transformer trash travailleur travailleurs tray treason
treasure treasures trench tribal troll troop troupe trous trousers trout trouvons troy tune
tunis turc turin tutelle tutor twin twitch ultimate uncertain unchanged unclear uncovered
undergo undertake unir unlawful unlock unlocked unnecessary unreasonable unrelated unstable
unsure unwanted upcoming uprising usd usure utilite valable valerie valls valorisation valuation
varie varient vas vault vaux veau vegetation vendeurs vendus venons venture ventures venu venue
venues verge verrons versus vertus viable vibe vice victoire victories vieillesse viennent viens
vient vigne vince viol viole violer virage virtue vision visions visiteur visiteurs visually
vitre vive vivement vivez vocation voeux volent volet volets voleur voluntary vomir von votent
voters voute vows voyageur vus wage wages wagner wales walt walter wan wasnt watt watts weakened
webb webster weigh weighs welsh wendy whale wheat whipped whoever whore width wii wit witch
withdrew witness wong worms worthy wright xvie yelling yves
"""

COMMON_WORDS: frozenset[str] = frozenset(
    (_ENGLISH + _ENGLISH_IRREGULAR + _FRENCH + _FREQUENT).split()
)
"""Accent-folded everyday words of both languages (base forms and irregular ones)."""
