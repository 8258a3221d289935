"""Byline strings to display names: prefixes, roles, e-mails and dates stripped; several names split; agencies
marked; publishers and sites told apart from people."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cleaners.metadata.title import key
from cleaners.paragraphs import clean_space

# News agencies, by the forms they sign with; they stay in `authors` and are also listed in `agencies`.
AGENCIES = {
    "ap": "AP", "associated press": "AP", "the associated press": "AP", "reuters": "Reuters", "afp": "AFP",
    "agence france-presse": "AFP", "agence france presse": "AFP", "dpa": "dpa", "sda": "SDA", "keystone-sda": "SDA",
    "apa": "APA", "kna": "KNA", "epd": "epd", "ansa": "ANSA", "efe": "EFE", "agencia efe": "EFE",
    "europa press": "Europa Press", "pa": "PA", "pa media": "PA", "upi": "UPI", "tass": "TASS", "xinhua": "Xinhua",
    "kyodo": "Kyodo", "jiji": "Jiji", "yonhap": "Yonhap", "belga": "Belga", "anp": "ANP", "ntb": "NTB", "tt": "TT",
    "ritzau": "Ritzau", "pap": "PAP", "ctk": "ČTK", "čtk": "ČTK", "pti": "PTI", "ians": "IANS", "ani": "ANI",
    "aap": "AAP", "bloomberg": "Bloomberg", "sid": "SID", "dts": "dts", "anadolu ajansı": "Anadolu",
    "anadolu agency": "Anadolu", "deutsche presse-agentur": "dpa", "agenturen": "agencies", "agencies": "agencies",
    "新华社": "Xinhua", "中新社": "China News Service", "中国新闻社": "China News Service", "路透社": "Reuters",
    "法新社": "AFP", "美联社": "AP", "共同社": "Kyodo", "塔斯社": "TASS", "韩联社": "Yonhap",
}  # fmt: skip

# The words that lead a byline's names ("By", "von", "par") and the words that may come before those ("Posted by",
# "Ein Gastbeitrag von", "Pressemitteilung von"): every byline pattern is built from these two. Not "interview" in
# page text: "Ein Interview von Jane Doe" mostly heads another story's teaser.
BY_WORDS = ("by", "von", "par", "por", "door")
LEAD_NOUNS = ("posted", "written", "reported", "text", "story", "words", "blog", "post", "beitrag",
              "gastbeitrag", "artikel", "article", "bericht", "pressemitteilung", "erstellt", "geschrieben", "verfasst",
              "gepostet", "publié", "escrito", "publicado")  # fmt: skip
BY = "|".join(BY_WORDS)
NOUNS = "|".join(LEAD_NOUNS)
_PREFIX = re.compile(
    rf"^\s*(?:(?:{NOUNS}|photos?|interview)\s+(?:by|von|de|par)|{BY}|av|af|di|da|de|från|przez|"
    r"autor(?:in)?|auteur|author|text|interview|reporter|redakce|redaktion)\s*[:\-]?\s*(?=[^\W\d_])(?<=[\s:\-])",
    re.I,
)
_ROLE = re.compile(
    r"\b(?:reporter|correspondent|editor|editorial|staff|writer|contributor|columnist|journalist|"
    r"redakteur(?:in)?|korrespondent(?:in)?|\w*redaktion|chief|senior|deputy|freelance|contributing|"
    r"photographer|producer|analyst|professor|director|president|ceo|founder|team|desk|newsroom|expert(?:e|in)?|"
    r"chefredakteur(?:in)?|autor(?:in)?|volontär(?:in)?|sagt|says|admin|administrator|uncategorized|"
    r"updated|published|posted|publiziert|aktualisiert|veröffentlicht|opinion|guest|special to|for the|"
    r"follow|twitter|facebook|email|e-mail|read more|more from|view all|articles?|posts?|beiträge|kommentar\w*|"
    r"no author|anonymous|anonym|anónimo|unknown|publisher|theme|redacción|rédaction|redazione|redação|stand|kontakt|"
    r"contact|zuletzt|geändert|schließen|close|mehr|profile?|login|log in|logout|sign ?up|sign_up|sign ?in|join|"
    r"register|registrieren|anmelden|abmelden|einloggen|moderator|webmaster)\b",
    re.I,
)
JOB_TITLE = re.compile(
    r"(?:chef)?redakteur(?:in)?|reporter(?:in)?|editor|correspondent|writer|journalist(?:in)?|autor(?:in)?|kontakt",
    re.I,
)
_CJK_ROLE = re.compile(r"\s*(?:기자|특파원|記者|记者|特派員|编辑)$")
# What Chinese bylines print where no writer is named: anonymous, unknown, "the editor", "this site", "our paper",
# "original", "the web", the admin, the desk.
_NO_HAN_NAMES = frozenset(
    {"佚名", "匿名", "未知", "不详", "小编", "本站", "本网", "本报", "本刊", "原创", "网络", "网友", "管理员", "编辑部",
     "编辑", "记者", "转载", "综合"}
)  # fmt: skip
_HAN_OUTLET = re.compile(r"(?:日报|晚报|早报|时报|周刊|杂志|新闻|报社|网|电视台|出版社)$")  # "人民日报": a paper
# Segments ("Name | date", "A / B") are independent; within one, names are listed and a role ends the list.
_SEGMENTS = re.compile(r"\s*[|;/•·\n]\s*|\s+[-–—@]\s+")
# "Posted on May 2, 2020 by Jane Doe", "Blog post von Jane Doe": the name follows the last by/von.
_NOT_PARTICLES = "|".join(word for word in BY_WORDS if word != "von")  # "von" alone: "Ursula von der Leyen"
_INNER_BY = re.compile(rf"^.*\s(?:{_NOT_PARTICLES}|(?:{NOUNS})\s+von)\s+(?=[^\W\d_])", re.I)
_LIST = re.compile(r"\s*(?:,|&|\+|、|，)\s*|\s+(?:and|und|et|y|e|og|och|i|sowie|mit|en)\s+", re.I)
# "Associated Press in Valencia", "Jane Doe am Samstag": the place or day is not part of the name.
_TRAILER = re.compile(r"\s+(?:in|aus|am|em|à|from)(?:\s+\S.*)?$", re.I)
# German gender suffixes ("Autor/innen", "Redakteur*in") are no second name.
_NOISE = re.compile(
    r"(?<=[a-zäöü])[/*:_]in(?:nen)?\b|©|\(c\)|\S+@\S+|https?://\S+|www\.\S+|\([^)]*\)|\[[^\]]*\]|\{[^}]*\}|<[^>]*>"
)
# Dates and times inside a byline end one segment: "By Jane Doe Feb 21, 2020" -> "Jane Doe".
DATE = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}\b|"
    r"\b\d{1,2}\.?\s+(?:jan|feb|mär|mar|apr|mai|may|jun|jul|aug|sep|okt|oct|nov|dez|dec)[a-zä]*\.?\s+\d{4}\b|"
    r"\b\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\b|\b\d{1,2}:\d{2}\s*(?:[ap]\.?\s?m\.?|uhr)?"  # "10:30 a. m."
    r"(?:\s+(?-i:[A-Z]{1,3}[SD]?T|UTC|GMT|MEZ|MESZ)\b)?",  # and its time zone: "10:30 a. m. COT"
    re.I,
)
_DIGIT = re.compile(r"\d")
# Markup that prints a name twice (desktop and mobile copies) glues it: "Ada LindAda Lind".
_REPEATED = re.compile(r"^(.{3,}?)\s*\1$")
# Runs of whitespace shrink to one character before the byline regexes (whose \s* and \s+ would backtrack over a
# long run at every position); a run with a line break stays a line break, which separates segments.
_SPACE_RUN = re.compile(r"\s+")
# Longer text is no byline; several of the patterns below backtrack quadratically in the length of a hostile one.
_BYLINE_MAX = 1000
_CREDENTIAL = re.compile(r"\b(?:ph\.?\s?d|m\.?d|mba|mph|rn|esq|jr|sr)\.?$", re.I)
# An outlet's or company's name.
_CORPORATE = re.compile(
    r"\b(?:e\.\s?v|gmbh|ag|inc|ltd|llc|s\.a|verlag|online|news|zeitung|magazin|illustrierte)\b\.?", re.I
)
# A title led by a definite article that is never a name particle ("The Harbour Gazette", "Der Hafenbote"): a
# publisher typed as Person in JSON-LD. Not "El", "La", "Las", "De", "Das": people are named "El Amin Haddou",
# "La Shawn Ford", "Das" as much as papers are.
OUTLET_ARTICLE = re.compile(r"^(?:the|der|die|il|lo|gli)\s", re.I)
_ARTICLE_LED = re.compile(r"^(?:the|el|la|los|las|le|les|der|die|das|il|lo|gli|de|het)\s", re.I)
_DOMAIN = re.compile(r"\w\.(?:com|de|at|ch|org|net|fr|it|es|uk|be|nl|info|eu)\b", re.I)
# What a removed date or duration leaves behind: "um", "at", "Min.", a time zone, a lone symbol.
_LEFTOVER = re.compile(r"(?i:um|at|on|am|le|el|uhr|min)|[A-Z]{1,3}[SD]T|UTC|GMT|\W+")
_GLUED_LABEL = re.compile(r"^(?:[Aa]uthor|[Aa]utor|[Aa]utorin|[Bb]y|[Vv]on)(?=[A-ZÀ-Þ][a-zß-ÿ])")  # "AuthorJane Doe"
_PICTURE_CREDIT = re.compile(r"\s*(?:fotos?|photos?|bild(?:er)?|images?|illustrations?|grafik)\s*:", re.I)
# "Text & Fotos: Jane Doe": the writer took the pictures too, so the picture credit names an author here.
_WORDS_AND_PICTURES = re.compile(
    r"^(?:texte?|words)\s*(?:&|\+|und|and|et)\s*(?:fotos?|photos?|bild(?:er)?)\s*:\s*", re.I
)
_PRESS_RELEASE = re.compile(r"\s*(?:pressemitteilung|pressemeldung|press release)\s+(?:von|by|from)\s", re.I)
# An agency's desk: dpa's state services ("lno", "lsw") and its features ("tmn"), a region ("nord", "nrw"); not "rom",
# "red", "cdu".
_REGIONAL_DESK = re.compile(
    r"l[a-z]{2}|tmn|nord|süd|sued|ost|west|mitte|nrw|bay|sh|hh|nds|bw|rp|sl|th|sn|mv|bb|hb", re.I
)
# A login handle: one word of letters, digits, ".", "_" or "-", holding a letter ("mo.berg", "kim_77").
_HANDLE = re.compile(r"(?=[\w.-]*[^\W\d_])[^\W_][\w.-]{1,39}")
# What shows it is a login or a name rather than a plain word ("by hand"): a digit, "_" or "." inside, or a capital.
_LOGIN_MARK = re.compile(r"[\d_.]")
# An age or a reading time printed where a name is marked: "2h", "5min", "3d".
_DURATION = re.compile(
    r"\d+\s?(?:s|sec|sek|m|min|mins|minutes?|minuten|h|hrs?|hours?|std|stunden?|d|days?|tage?|w|wks?|weeks?|wochen?|"
    r"mo|mon|months?|monate?|y|yrs?|years?|j|jahre?)\.?",
    re.I,
)
# Words the markup prints where a login goes that name nobody: pronouns, generic accounts, a text generator, days.
_NO_HANDLE = frozenset(
    {"me", "mir", "mich", "ich", "uns", "us", "we", "wir", "you", "du", "myself", "user", "users", "nutzer",
     "benutzer", "member", "mitglied", "guest", "gast", "hand", "root", "system", "bot", "robot", "chatgpt", "gpt",
     "ai", "ki", "someone", "jemand", "everyone", "owner", "mod", "home", "about", "info", "support", "help", "hilfe",
     "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "montag", "dienstag", "mittwoch",
     "donnerstag", "freitag", "samstag", "sonntag", "today", "yesterday", "heute", "gestern"}
)  # fmt: skip
# A site's administrator account, whatever is glued to it: "admin2", "wordpressadmin", "superadmin", "webadministrator".
_ADMIN_ACCOUNT = re.compile(r"\w*?admin(?:istrator)?\d*")
# Interface words an author box or its links print, and labels over a list of writers ("About the author", "Alle
# Autoren", "Visit website", "RSS"): a name holding one of them is none.
_INTERFACE_WORDS = frozenset(
    {"about", "author", "authors", "autoren", "autorinnen", "writers", "website", "homepage", "visit",
     "besuchen", "feed", "rss", "atom", "settings", "einstellungen", "password", "passwort", "account", "konto",
     "dashboard"}
)  # fmt: skip
_INITIALS = re.compile(r"[^\W\d_]{2,3}")  # a writer's initials under a wire story: "tkl", "mf"
# Initials and a surname, in lowercase: a byline the stylesheet capitalizes ("e. lindqvist").
_INITIALLED = re.compile(r"(?P<initials>(?:[^\W\d_]\.\s?){1,3})[^\W\d_][\w'-]{2,}")
_ABBREVIATIONS = frozenset({"a.m.", "p.m.", "u.s.", "e.g.", "i.e.", "z.b.", "d.h."})  # "u.s. army" names nobody
# Words (and ends of German compounds) that name an organization, not a person: "Stadtverwaltung Musterstadt",
# "Evangelische Kirche Hamburg", "Harbour Press Office", and page furniture ("Newsletter Abonnieren").
_ORGANIZATION_WORDS = (
    "stadt", "verwaltung", "gemeinde", "kreis", "kirche", "amt", "verband", "verein", "stiftung", "schule",
    "ministerium", "presse", "press", "office", "agentur", "agency", "blatt", "bote", "kurier", "rundschau",
    "council", "ministry", "university", "universität", "institut", "institute", "group", "media", "design",
    "software", "newsletter", "abonnieren", "impressum", "datenschutz", "anzeigen",
)  # fmt: skip
# Ends of a name's last word that no surname has, unlike "blatt" (Rosenblatt) or "stadt" (Neustadt).
_ORGANIZATION_ENDINGS = (
    "zeitung", "abendblatt", "tageblatt", "tagblatt", "wochenblatt", "amtsblatt", "rundschau", "kurier", "anzeiger",
    "nachrichten", "verwaltung", "gemeinde", "ministerium", "kirche", "verband", "verein", "stiftung", "universität",
)  # fmt: skip
_HANDLE_MAX = 60
_CAPITALIZED_PREFIXES = ("Mc", "Mac", "De", "Di", "Da", "Du", "La", "Le")  # McDonald, DeShawn, LaToya
# A lead without its name: "by", "Ein Beitrag von".
_BARE_PREFIX = re.compile(rf"(?:(?:ein\s+)?(?:{NOUNS})\s+)?(?:{BY})|av|di|de|da|from|text", re.I)


@dataclass
class Byline:
    authors: list[str] = field(default_factory=list)
    agencies: list[str] = field(default_factory=list)
    organizations_only: bool = False  # no person or agency among the authors: only publishers or associations


@dataclass(frozen=True)
class Credit:
    """One raw byline string, whether the markup says it names an organization, and whether it marks the text as
    the author's own name outright (so a one-word login handle such as "kim_77" is the display name)."""

    text: str
    organization: bool = False
    handle: bool = False
    marked: bool = False  # from an element the markup marks as a byline

    @property
    def by_organization(self) -> bool:
        """Typed as an organization by the markup, or a press release's issuer ("Pressemitteilung von Amnesty")."""
        return self.organization or bool(_PRESS_RELEASE.match(self.text))


def parse_bylines(credits: list[Credit], site_names: list[str]) -> Byline:
    byline = Byline()
    sites = {key(s) for s in site_names}
    # "dailyexpress.net" also goes by "DailyExpress"; "Jane Doe" on janedoe.com is still a person.
    labels = {key(s.removeprefix("www.").split(".")[0]) for s in site_names if _DOMAIN.search(s)}
    # "EXAMPLE DAILY" signs as "ED": the initials of a site name of several words are the site too.
    labels |= {"".join(w[0] for w in s.split()).casefold() for s in site_names if len(s.split()) > 1}
    people = 0
    outlets: set[str] = set()
    for credit in credits:
        if credit.handle and (handle := account_handle(credit.text)):
            if not is_site(handle, sites, labels):
                add_name(byline.authors, handle)
                people += not (credit.by_organization or _CORPORATE.search(handle.replace("_", " ")))
                outlets |= {handle} if credit.by_organization else set()
            continue
        if credit.handle and not credit.text.strip().count(" "):
            continue  # one word marked as the author's that is no login ("2h", "Profil", "mir"): no name either
        if key(credit.text) in sites and credit.text.casefold() not in AGENCIES:
            continue  # "Example Jobs & Careers" is one site, not two authors
        names = agency_desk(credit.text) or split_byline(credit.text)
        if key(credit.text.split(",")[0]) in sites | labels or any(is_site(name, sites, labels) for name in names):
            names = without_places(names, keep_single=False)  # "Example News, Springfield, USA": its address
        for name in names:
            name = titled_initials(name) if credit.marked else name
            if signed := signed_agency(name):
                add_name(byline.agencies, signed[0])
                add_name(byline.authors, signed[1])
                people += 1  # an agency byline is a real credit, unlike the publisher's own name
            elif (
                not is_site(name, sites, labels)
                and looks_like_name(name)
                and (not credit.handle or capitalized_words(name))
            ):  # a link marked rel=author that reads "Visit website" or "About the author" names nobody
                add_name(byline.authors, fix_case(name))
                people += not (credit.by_organization or _CORPORATE.search(name))
                outlets |= {fix_case(name)} if credit.by_organization else set()
    byline.authors = without_fragments(byline.authors)
    byline.organizations_only = people == 0
    if not byline.organizations_only:
        # "Jane Doe, Harbour News": next to a person, the outlet is an affiliation, not a co-author; so is a credit
        # the markup types as an organization.
        agencies = byline_agencies(byline)
        byline.authors = [
            a for a in byline.authors if a in agencies or not (_CORPORATE.search(a) or a in outlets)
        ]
    return byline


def agency_desk(text: str) -> list[str]:
    """ "epd/nrw": an agency and the code of its regional desk are one credit, not two authors; "AFP/epd" are two
    agencies, "dpa/rom" an agency and a place."""
    signed = signed_agency(text.strip()) if "/" in text else None
    return [signed[1]] if signed else []


def signed_agency(name: str) -> tuple[str, str] | None:
    """The agency a credit names and the credit as it signs, its regional desk kept: "ap" -> ("AP", "AP"),
    "dpa/LNO" -> ("dpa", "dpa/lno"), "Associated Press" -> ("AP", "Associated Press"). None for no agency, or for an
    agency and something that is no regional desk ("dpa/rom", "afp/red")."""
    written, slash, desk = name.partition("/")
    agency = AGENCIES.get(written.casefold())
    if agency is None or (slash and not _REGIONAL_DESK.fullmatch(desk)):
        return None
    signed = agency if written.casefold() == agency.casefold() else written
    return agency, f"{signed}/{desk.casefold()}" if slash else signed


def account_handle(text: str, from_prose: bool = False) -> str | None:
    """ "von kim_77", "wendelin": one login-like word, without the lead; None for roles ("Admin", "Redaktion"),
    pronouns ("mir"), interface words ("Profil", "login") and ages or reading times ("2h"). Read from prose rather
    than from markup that marks the author ("Written by hand"), a plain lowercase word is no handle either: it needs
    a digit, "_" or "." inside, or a capital."""
    handle = _PREFIX.sub("", text.strip()) if len(text) <= _HANDLE_MAX else ""
    if not _HANDLE.fullmatch(handle) or _DURATION.fullmatch(handle):
        return None
    if from_prose and handle[0].islower() and not _LOGIN_MARK.search(handle):
        return None
    word = handle.casefold()
    if _ROLE.search(word.replace("_", " ")) or word in _NO_HANDLE | _INTERFACE_WORDS or word in AGENCIES:
        return None
    if _ADMIN_ACCOUNT.fullmatch(word):
        return None
    if _DOMAIN.search(handle):
        return None
    return handle


def is_site(name: str, sites: set[str], labels: set[str]) -> bool:
    """The site's name or its domain's label; a name of several words only when led by an article ("El Faro" on
    elfaro.example): "Jane Doe" on janedoe.com is still a person."""
    return key(name) in sites or ((" " not in name or bool(_ARTICLE_LED.match(name))) and key(name) in labels)


def byline_agencies(byline: Byline) -> set[str]:
    return {a for a in byline.authors if signed_agency(a)}


def without_fragments(names: list[str]) -> list[str]:
    """Markup that also prints the first and last name apart ("Ada Lind; Ada; Lind") credits one person, not three:
    a name whose words all belong to a longer name in the same byline is dropped."""
    words = [set(name.casefold().split()) for name in names]
    return [name for name, own in zip(names, words, strict=True) if not any(own < other for other in words)]


def add_name(names: list[str], name: str) -> None:
    """Append unless the list holds it already, in any case."""
    if name.casefold() not in {n.casefold() for n in names}:
        names.append(name)


def split_byline(raw: str) -> list[str]:
    """By JANE DOE and John Roe, Staff Writer | Updated May 2 -> ["JANE DOE", "John Roe"]."""
    raw = _SPACE_RUN.sub(lambda run: "\n" if "\n" in run.group() else " ", raw)
    if len(raw) > _BYLINE_MAX:
        return []
    text = DATE.sub(" | ", _NOISE.sub(" ", raw))
    names: list[str] = []
    for segment in _SEGMENTS.split(text):
        names += without_places(split_segment(segment))
    return names


def without_places(names: list[str], keep_single: bool = True) -> list[str]:
    """ "Jane Doe, London, John Roe": beside full names (or beside the site, keep_single=False), a lone word that is
    no agency is a place."""
    if keep_single and not any(len(name.split()) > 1 for name in names):
        return names
    return [name for name in names if len(name.split()) > 1 or name.casefold() in AGENCIES]


def split_segment(segment: str) -> list[str]:
    names: list[str] = []
    segment = _WORDS_AND_PICTURES.sub("", clean_space(segment))
    for piece in _LIST.split(_INNER_BY.sub("", segment)):
        if _PICTURE_CREDIT.match(piece):
            continue  # "Text: Ada Lind, Foto: Teo Berg": the photographer is no author
        piece = _PREFIX.sub("", _GLUED_LABEL.sub("", piece.strip(" .:-–—·•"))).strip(" .:-–—·•")
        piece = _CJK_ROLE.sub("", _CREDENTIAL.sub("", piece)).strip(" ,.")
        role = _ROLE.search(piece)
        if role and JOB_TITLE.fullmatch(role.group(0)) and is_full_name(head := piece[: role.start()].strip(" ,-")):
            names.append(head)  # "Jane Doe Chefredakteurin": the name before the job title
        if _DIGIT.search(piece) or role:
            break  # what follows a role or a date is an affiliation or a place, not another author
        piece = _REPEATED.sub(r"\1", _TRAILER.sub("", piece))
        if piece and not _BARE_PREFIX.fullmatch(piece) and not _LEFTOVER.fullmatch(piece):
            names.append(piece)
    return names


def is_full_name(text: str) -> bool:
    words = text.split()
    return 2 <= len(words) <= 3 and all(w[:1].isupper() for w in words)


def is_person_name(text: str) -> bool:
    """A person's full name as far as its shape tells: two or three capitalized words, none with a capital inside
    ("InDesign") or naming an organization ("Stadt Musterstadt", "Stadtverwaltung Musterstadt", "Press Office").
    A surname may end like one ("Rosenblatt", "Neustadt"): only the words before it are read for compounds."""
    name = fix_case(text)
    words = name.split()
    if not is_full_name(name) or _CORPORATE.search(name) or _ROLE.search(name):
        return False
    last = words[-1].casefold()
    if last in _ORGANIZATION_WORDS or any(w.casefold().endswith(_ORGANIZATION_WORDS) for w in words[:-1]):
        return False
    return all(map(_name_word, words)) and not last.endswith(_ORGANIZATION_ENDINGS)


def _name_word(word: str) -> bool:
    """Capitalized parts without a capital inside: "Hans-Peter", "O'Brien", "McDonald", "DeShawn"; not "InDesign"."""
    return all(_plain_part(part) for part in re.split(r"[-'’]", word) if part)


def _plain_part(part: str) -> bool:
    prefix = next((p for p in _CAPITALIZED_PREFIXES if part.startswith(p) and part[len(p) : len(p) + 1].isupper()), "")
    rest = part[len(prefix) :]
    return rest[1:] == rest[1:].lower()


def titled_initials(name: str) -> str:
    """A lowercase name led by initials, as the stylesheet shows it: "e. lindqvist" -> "E. Lindqvist"; not an
    abbreviation ("u.s. army"). Other text is returned as it is."""
    initialled = _INITIALLED.fullmatch(name) if name.islower() else None
    if initialled is None or initialled.group("initials").replace(" ", "") in _ABBREVIATIONS:
        return name
    return " ".join(w if w in PARTICLES else re.sub(r"\b[^\W\d_]", _upper, w) for w in name.split())


def _upper(match: re.Match[str]) -> str:
    return match.group().upper()


def looks_like_name(name: str) -> bool:
    """One to five words, the first capitalized, none an interface word; scripts without case (CJK, Hindi...) pass
    on length alone. One lowercase word only when shaped like a login ("mo.berg", "kim_77") or like initials ("tkl"),
    not a plain word ("settings", "medellín")."""
    words = name.split()
    if not 1 <= len(words) <= 5 or not 2 <= len(name) <= 60 or _DOMAIN.search(name):
        return False
    if any(word.casefold().strip(".:,;?!") in _INTERFACE_WORDS for word in words):
        return False
    if len(words) == 1 and (name.casefold() in _NO_HANDLE or name in _NO_HAN_NAMES or _HAN_OUTLET.search(name)):
        return False  # "Sunday", "Support", "佚名": a word that names nobody is no name in any byline
    if name.islower() and len(words) == 1:
        return bool(_LOGIN_MARK.search(name) or _INITIALS.fullmatch(name))
    capitalized = [w[:1].isupper() or w[:1].lower() == w[:1].upper() for w in words]  # uncased scripts count
    return capitalized[0] and sum(capitalized) >= max(1, len(words) - 2)


# Lowercase words a name may hold: particles ("Ana dos Reis", "Omar bin Tariq") and list words.
PARTICLES = frozenset(
    {"van", "von", "de", "der", "den", "da", "di", "le", "la", "du", "des", "do", "dos", "das", "del", "della", "delle",
     "dei", "degli", "dello", "bin", "bint", "ibn", "ben", "abu", "al", "el", "ter", "ten", "te", "zu", "zur", "e",
     "af", "av", "and", "und", "et", "y"}
)  # fmt: skip


def capitalized_words(names: str) -> bool:
    """Every word capitalized (in any script; uncased scripts pass), a particle or a list word."""
    for word in names.replace(",", " ").split():
        initial = re.sub(r"^[dl]'", "", word)[:1]  # "d'Alembert"
        if not (initial.isupper() or initial.lower() == initial.upper() or word in PARTICLES):
            return False
    return True


def fix_case(name: str) -> str:
    """ALL-CAPS bylines become title case; mixed case is kept as the author wrote it."""
    if not name.isupper() or len(name) <= 4:
        return name
    return re.sub(r"[A-Za-zÀ-ÿ]+('[a-z])?", lambda m: m.group(0).capitalize(), name.lower())
