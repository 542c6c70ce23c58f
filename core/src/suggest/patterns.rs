//! Every word list the suggestion rules use, in one place. All matching is
//! case-insensitive unless a list says otherwise; phrases match whole words.
//!
//! To teach a rule a new cue, add it here: no rule keeps a list of its own.

/// Phrases that make a paragraph a cookie or consent banner on their own: they are
/// never article prose.
pub const COOKIE_STRONG: &[&str] = &[
    "we use cookies",
    "this site uses cookies",
    "this website uses cookies",
    "use of cookies",
    "cookie policy",
    "cookies policy",
    "cookie settings",
    "cookie preferences",
    "cookie notice",
    "accept cookies",
    "accept all cookies",
    "reject all cookies",
    "manage cookies",
    "necessary cookies",
    "essential cookies",
    "third-party cookies",
    "these cookies",
    "cookies enable",
    "by continuing to browse",
    "by continuing to use this",
    "we value your privacy",
    "manage your consent",
    "consent preferences",
];

/// Words that, together with the word "cookie(s)" in the same paragraph, make it a
/// banner: an article about Oreo cookies has none of them.
pub const COOKIE_CONTEXT: &[&str] = &[
    "website",
    "site",
    "browser",
    "browsing",
    "your experience",
    "privacy",
    "consent",
    "accept",
    "settings",
    "preferences",
];

/// Phrases that make a paragraph a subscription, newsletter or copyright notice.
pub const NOTICE_PHRASES: &[&str] = &[
    "all rights reserved",
    "sign up for our",
    "sign up to our",
    "subscribe to our",
    "subscribe now",
    "subscribe today",
    "subscribe for",
    "subscribe here",
    "our newsletter",
    "our newsletters",
    "newsletter sign",
    "get our newsletter",
    "become a subscriber",
    "already a subscriber",
    "for subscribers only",
    "subscribers only",
    "log in to continue",
    "this article is for subscribers",
    "reproduction in whole or in part",
    "may not be published, broadcast, rewritten or redistributed",
];

/// Signs that, at the start of a line, make it a copyright notice: "©", "(c) 2024",
/// "Copyright 2024". Matched case-insensitively at the start of a paragraph.
pub const COPYRIGHT_STARTS: &[&str] = &["©", "(c)", "copyright ©", "copyright (c)", "copyright"];

/// News and photo agencies whose name, in a short line, marks a caption's credit
/// ("…, Reuters/Maxim Shemetov", "(AFP)"). Case-sensitive: they are names.
pub const PHOTO_AGENCIES: &[&str] = &[
    "Reuters",
    "AP",
    "AFP",
    "Getty Images",
    "Getty",
    "EPA",
    "EPA-EFE",
    "PA",
    "PA Media",
    "PA Wire",
    "Shutterstock",
    "Alamy",
    "Bloomberg",
    "Anadolu",
    "Xinhua",
    "ANSA",
    "dpa",
    "TASS",
    "Sputnik",
    "Kyodo",
    "Yonhap",
    "NurPhoto",
    "SOPA Images",
    "ZUMA",
    "Corbis",
];

/// Prefixes that open a caption or its credit ("Photo: AP", "Picture by …").
pub const CAPTION_PREFIXES: &[&str] = &[
    "photo:",
    "photo by",
    "photos:",
    "photograph:",
    "photograph by",
    "picture:",
    "picture by",
    "pictures:",
    "pictured:",
    "image:",
    "image by",
    "images:",
    "image source:",
    "image caption:",
    "caption:",
    "credit:",
    "photo credit:",
    "file photo:",
    "illustration:",
    "video:",
];

/// Prefixes that open an editor or reporter credit line ("Editing by Andrew Osborn").
pub const CREDIT_PREFIXES: &[&str] = &[
    "editing by",
    "edited by",
    "reporting by",
    "additional reporting by",
    "additional reporting from",
    "reporting and writing by",
    "writing by",
    "written by",
    "compiled by",
    "graphics by",
    "research by",
    "with reporting by",
    "with reporting from",
    "contributing reporting",
    "fact-checking by",
];

/// Roles that mark a closing line about the author ("Clark Boyd is technology
/// correspondent for The World…").
pub const AUTHOR_ROLES: &[&str] = &[
    "correspondent",
    "commentator",
    "columnist",
    "reporter",
    "editor",
    "journalist",
    "writer",
    "contributor",
    "presenter",
];

/// Section names that are boilerplate alone on the first line, even when no second
/// headline-like line follows.
pub const SECTION_NAMES: &[&str] = &[
    "news",
    "world",
    "world news",
    "uk",
    "us",
    "europe",
    "business",
    "markets",
    "economy",
    "politics",
    "technology",
    "tech",
    "science",
    "health",
    "sport",
    "sports",
    "entertainment",
    "culture",
    "arts",
    "opinion",
    "comment",
    "analysis",
    "live",
    "breaking",
    "breaking news",
];

/// Where an attribution word's speaker stands: `Either` for verbs that invert
/// ("said Duncan Ingram" or "Peskov said"), `Before` for verbs whose object is not
/// the speaker ("Peskov told reporters"), `After` for "according to X", "quoted X as
/// saying", and `Subject` for participles, whose speaker is the clause's subject
/// ("Gore Vidal defended the film, saying …").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    Either,
    Before,
    After,
    Subject,
}

/// Attribution cues: single words that introduce or follow a quotation.
pub const ATTRIBUTION_WORDS: &[(&str, Side)] = &[
    ("said", Side::Either),
    ("says", Side::Either),
    ("say", Side::Before),
    ("saying", Side::Subject),
    ("told", Side::Before),
    ("tells", Side::Before),
    ("added", Side::Either),
    ("adds", Side::Either),
    ("adding", Side::Subject),
    ("asked", Side::Either),
    ("explained", Side::Either),
    ("explains", Side::Either),
    ("wrote", Side::Either),
    ("writes", Side::Either),
    ("stated", Side::Either),
    ("argued", Side::Either),
    ("argues", Side::Either),
    ("insisted", Side::Either),
    ("insists", Side::Either),
    ("warned", Side::Either),
    ("warns", Side::Either),
    ("claimed", Side::Either),
    ("claims", Side::Before),
    ("described", Side::Before),
    ("describes", Side::Before),
    ("describing", Side::Subject),
    ("called", Side::Before),
    ("calls", Side::Before),
    ("quoted", Side::After),
    ("noted", Side::Either),
    ("commented", Side::Either),
    ("replied", Side::Either),
    ("announced", Side::Before),
    ("admitted", Side::Before),
    ("acknowledged", Side::Before),
    ("praised", Side::Before),
    ("praises", Side::Before),
    ("cited", Side::Before),
    ("urged", Side::Before),
    ("promised", Side::Before),
    ("denied", Side::Before),
    ("declared", Side::Either),
    ("suggested", Side::Before),
    ("recalled", Side::Either),
    ("continued", Side::Either),
];

/// Words that, just before a quotation, make it a name or a term, not a quote
/// (`a so-called "magic circle"`, `known as "passing off"`, `dubbed "blip-pop"`).
pub const TERM_MARKERS: &[&str] = &[
    "so-called",
    "known as",
    "the term",
    "terms like",
    "terms such as",
    "dubbed",
    "nicknamed",
    "titled",
    "entitled",
    "labelled",
    "labeled",
];

/// Attribution cues of two words.
pub const ATTRIBUTION_PHRASES: &[(&str, &str, Side)] = &[("according", "to", Side::After)];

/// Capitalised words that start sentences or stand before names but are not names.
pub const NOT_NAMES: &[&str] = &[
    "a",
    "an",
    "the",
    "and",
    "but",
    "or",
    "so",
    "yet",
    "if",
    "in",
    "on",
    "at",
    "by",
    "for",
    "from",
    "to",
    "of",
    "with",
    "as",
    "after",
    "before",
    "since",
    "until",
    "despite",
    "while",
    "when",
    "where",
    "although",
    "though",
    "because",
    "however",
    "nevertheless",
    "meanwhile",
    "elsewhere",
    "also",
    "earlier",
    "later",
    "last",
    "this",
    "that",
    "these",
    "those",
    "there",
    "here",
    "it",
    "its",
    "he",
    "she",
    "they",
    "we",
    "i",
    "you",
    "his",
    "her",
    "their",
    "our",
    "my",
    "your",
    "some",
    "many",
    "most",
    "all",
    "any",
    "both",
    "each",
    "other",
    "others",
    "such",
    "about",
    "among",
    "instead",
    "now",
    "then",
    "today",
    "yesterday",
    "mr",
    "mrs",
    "ms",
    "dr",
    "sir",
];

/// Honorifics that may stand between an attribution verb and a name ("said Mr Ingram").
pub const HONORIFICS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "sir", "lord", "lady", "dame", "prof",
];

/// Pronouns that stand for a speaker named elsewhere ("he said").
pub const PRONOUNS: &[&str] = &["he", "she", "it", "they", "we", "i"];

/// Words that may be skipped between a speaker and the attribution verb
/// ("Sony has said", "Mr Ingram also said").
pub const SKIPPABLE_BEFORE_VERB: &[&str] = &[
    "has",
    "had",
    "have",
    "also",
    "later",
    "then",
    "once",
    "previously",
    "was",
    "were",
    "is",
    "are",
    "be",
    "been",
    "would",
    "will",
    "could",
    "can",
    "recently",
    "earlier",
];

/// Relative pronouns skipped when looking back for a speaker ("an email from Mr Van de
/// Vijver which said …").
pub const RELATIVE_PRONOUNS: &[&str] = &["which", "who", "that", "whom"];

/// Lower-case particles allowed inside a name ("Walter van der Vijver").
pub const NAME_PARTICLES: &[&str] = &[
    "van", "von", "de", "der", "den", "da", "di", "du", "la", "le", "al", "bin", "ibn", "of",
];

/// Determiners that open a descriptive speaker ("a spokesman", "the firm").
pub const DETERMINERS: &[&str] = &["a", "an", "the", "one"];

/// Words that end a descriptive speaker ("the director behind JFK" stops at "behind").
pub const SPEAKER_STOPS: &[&str] = &[
    "behind", "of", "for", "from", "at", "in", "on", "with", "who", "which", "that", "and", "as",
    "to", "said", "says", "told", "added",
];

/// Number words that make a figure (as whole words; "one" is left out: "one of the").
pub const NUMBER_WORDS: &[&str] = &[
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
    "hundred",
    "hundreds",
    "thousand",
    "thousands",
    "million",
    "millions",
    "billion",
    "billions",
    "trillion",
    "dozen",
    "dozens",
    "half",
    "third",
    "quarter",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "double",
    "doubled",
    "twice",
    "triple",
    "tripled",
    "percent",
    "per cent",
];

/// Named months and days. "May" needs a number beside it ("May 5", "5 May").
pub const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

pub const DAYS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "yesterday",
    "christmas",
    "easter",
    "thanksgiving",
];

/// Relative times that date an event: the first word followed by the second
/// ("last year", "next month") or the first word alone after a period word ("a year
/// ago" is caught by "ago").
pub const RELATIVE_TIME_FIRST: &[&str] = &["last", "this", "next", "previous", "past", "a"];
pub const RELATIVE_TIME_SECOND: &[&str] = &[
    "year", "year's", "week", "week's", "month", "month's", "weekend", "summer", "autumn",
    "winter", "spring", "quarter",
];
pub const TIME_WORDS_ALONE: &[&str] = &["ago"];

/// Currency signs that may open an amount ("$1m", "£522,000", "A$4.50", "US $200").
pub const CURRENCY_SIGNS: &[char] = &['$', '£', '€', '¥', '₹', '₽'];
