"""Swedish names and journal texts for generated demo pairs: a small
generator of our own, so the demo needs no test-only library at run time."""

import unicodedata

FIRST_NAMES = [
    "Anna",
    "Eva",
    "Maria",
    "Karin",
    "Sara",
    "Lena",
    "Emma",
    "Kerstin",
    "Elin",
    "Ingrid",
    "Johanna",
    "Linnea",
    "Sofia",
    "Malin",
    "Ida",
    "Hanna",
    "Astrid",
    "Elsa",
    "Maja",
    "Ebba",
    "Frida",
    "Klara",
    "Greta",
    "Alva",
    "Saga",
    "Agnes",
    "Wilma",
    "Tove",
    "Lisa",
    "Annika",
    "Erik",
    "Lars",
    "Karl",
    "Anders",
    "Johan",
    "Per",
    "Nils",
    "Mikael",
    "Jan",
    "Hans",
    "Gustav",
    "Oskar",
    "Lukas",
    "Axel",
    "Viktor",
    "Olof",
    "Sven",
    "Magnus",
    "Fredrik",
    "Henrik",
    "Mattias",
    "Jonas",
    "Emil",
    "Hugo",
    "Elias",
    "Arvid",
    "Filip",
    "Ludvig",
    "Albin",
    "Anton",
    "Björn",
    "Göran",
    "Åsa",
    "Örjan",
    "Ulf",
    "Stina",
    "Birgitta",
    "Amir",
    "Leila",
    "Yusuf",
]
LAST_NAMES = [
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Pettersson",
    "Jonsson",
    "Jansson",
    "Hansson",
    "Bengtsson",
    "Jönsson",
    "Lindberg",
    "Jakobsson",
    "Magnusson",
    "Lindström",
    "Olofsson",
    "Lindqvist",
    "Lindgren",
    "Berg",
    "Axelsson",
    "Bergström",
    "Lundberg",
    "Lind",
    "Lundgren",
    "Lundqvist",
    "Mattsson",
    "Berglund",
    "Fredriksson",
    "Sandberg",
    "Henriksson",
    "Forsberg",
    "Sjöberg",
    "Wallin",
    "Engström",
    "Eklund",
    "Danielsson",
    "Håkansson",
    "Lundin",
    "Björk",
    "Bergman",
    "Gunnarsson",
    "Holm",
    "Wikström",
    "Samuelsson",
    "Isaksson",
    "Fransson",
    "Bergqvist",
    "Nyström",
    "Holmberg",
    "Arvidsson",
    "Löfgren",
    "Söderberg",
    "Nyberg",
    "Blomqvist",
    "Claesson",
    "Nordström",
    "Mårtensson",
    "Lundström",
    "Ali",
    "Mohammed",
    "Åberg",
]

GOALS = (
    "Jag vill bli tryggare i rollen som ordförande och leda styrelsemöten med tydlig struktur.",
    "Målet är att föreningen har en plan för att rekrytera nya ledare före årsmötet.",
    "Jag vill lära mig att delegera och hitta en hållbar balans mellan uppdrag och familj.",
    "Vi vill ta fram en budget som styrelsen förstår och kan följa upp varje kvartal.",
    "Jag vill utveckla min förmåga att hantera konflikter i styrelsen.",
    "Målet är en fungerande arbetsordning och tydliga ansvarsområden i styrelsen.",
)
ROLES = (
    "Jag som adept driver processen, förbereder frågor och skriver anteckningarna.",
    "Mentorn är bollplank och delar egna erfarenheter, men ger inga färdiga svar.",
    "Adepten bokar träffarna och skickar en dagordning några dagar innan.",
)
COMMUNICATION = (
    "Vi mejlar mellan träffarna vid behov och svarar inom en vecka.",
    "Vi hörs på telefon dagtid, inte på kvällar eller helger.",
    "Sms för korta frågor, mejl för det som kräver eftertanke.",
)
AREAS = (
    "Ledarskap, styrelsearbete och ekonomi.",
    "Rekrytering av ideella ledare och introduktion av nya medlemmar.",
    "Kommunikation med medlemmar och samarbete med kommunen.",
)
# How often the pair says it meets, and the days between its meetings: the
# generated meetings keep to what the agreement says.
ARRANGEMENTS = (
    ("Vi ses var fjärde vecka i en och en halv timme, växelvis på plats och digitalt.", 28),
    ("En träff i månaden på föreningens kansli, digitalt om någon är sjuk.", 30),
    ("Vi ses varannan vecka i en och en halv timme, digitalt.", 14),
    ("Var tredje vecka, på plats hos mentorn eller på ett café.", 21),
)
COSTS = (
    "Fika betalar vi själva. Resor ersätts av föreningen enligt policy.",
    "Varje part står för sina egna kostnader.",
)
SUMMARIES = (
    "Vi gick igenom förväntningar och kom överens om upplägget för året.",
    "Vi pratade om hur man delegerar utan att släppa ansvaret och tog fram ansvarskort.",
    "Vi diskuterade förra årets budget och hittade tre poster att se över.",
    "Vi gick igenom hur en svår diskussion i styrelsen kan ledas och vad som gick bra senast.",
    "Vi planerade rekryteringsträffen i höst och vem som bjuder in vilka.",
    "Vi följde upp arbetsordningen; styrelsen har antagit den med små ändringar.",
)
REFLECTIONS = (
    "Sedan sist har jag provat att dela ut uppgifter i förväg, och mötet blev kortare.",
    "Jag har läst stadgarna och ser att arbetsordningen saknas helt.",
    "Det var svårare än jag trodde att säga nej till nya uppdrag.",
    "Styrelsen tog emot förslaget bättre än jag hade väntat mig.",
)
# A few words from whoever ended a pair, by reason (programs.models.EndReason).
END_NOTES = {
    "goals_reached": "Vi har nått målen vi satte upp i överenskommelsen.",
    "time_over": "",
    "not_working": "Vi hittade inga tider som passade oss båda.",
    "other": "Jag har fått ett nytt uppdrag och hinner inte fortsätta just nu.",
    "discontinued": "Paret har inte träffats sedan starten och svarar inte.",
}
PLACES = ("Föreningshuset, Storgatan 1, Uppsala", "https://meet.example.org/mentorskap", "Café Linnea, Kungsgatan 12")


def person_name(number):
    """A name for person number `number`: every combination before any repeats."""
    first = FIRST_NAMES[number % len(FIRST_NAMES)]
    last = LAST_NAMES[(number // len(FIRST_NAMES)) % len(LAST_NAMES)]
    return f"{first} {last}"


def email_local_part(name):
    """'Örjan Åberg' -> 'orjan.aberg': an address as people write theirs."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return ascii_name.lower().replace(" ", ".")


def pick(choices, number):
    return choices[number % len(choices)]
