//! The model's `pattern` constraints: Java regular expressions, matched as Java's
//! `Matcher.matches()` does (the whole string), compiled once on first use.

use std::sync::OnceLock;

use fancy_regex::Regex;

/// Java's `\w`, `\d` and `\s` are ASCII-only (without UNICODE_CHARACTER_CLASS), unlike Rust's.
const WORD: &str = "0-9A-Za-z_";
const DIGIT: &str = "0-9";
const SPACE: &str = "\\t\\n\\x0B\\x0C\\r ";
/// What Java's `.` does not match outside DOTALL mode: its line terminators.
const NOT_LINE_END: &str = "[^\\n\\r\\x{85}\\x{2028}\\x{2029}]";
const VERTICAL: &str = "\\n\\x0B\\x0C\\r\\x{85}\\x{2028}\\x{2029}";
/// Characters Rust's regex syntax lets (or needs) be escaped; other escaped punctuation is
/// emitted bare, as Java means it literally.
const META: &str = "\\.+*?()|[]{}^$#&-~";

pub(crate) struct Pattern {
    pub(crate) source: String,
    compiled: OnceLock<Result<Regex, String>>,
}

impl Pattern {
    pub(crate) fn new(source: &str) -> Pattern {
        Pattern {
            source: source.to_string(),
            compiled: OnceLock::new(),
        }
    }

    fn regex(&self) -> &Result<Regex, String> {
        self.compiled.get_or_init(|| {
            Regex::new(&anchored(&self.source)).map_err(|e| format!("{}: {e}", self.source))
        })
    }

    /// Compiles now, for the test that every pattern of every model compiles.
    pub(crate) fn compile(&self) -> Result<(), String> {
        self.regex().as_ref().map(|_| ()).map_err(Clone::clone)
    }

    /// Whole-string match. A pattern that does not compile (the unit tests rule that out)
    /// or a match that exceeds the backtracking limit counts as a mismatch.
    pub(crate) fn matches(&self, text: &str) -> bool {
        match self.regex() {
            Ok(re) => re.is_match(text).unwrap_or(false),
            Err(_) => false,
        }
    }
}

/// `^(?:…)$` around the translation: Java's `matches()` must consume the whole input.
pub(crate) fn anchored(java: &str) -> String {
    format!("^(?:{})$", translate(java))
}

/// Rewrites a Java pattern into fancy-regex syntax with Java's meaning.
pub(crate) fn translate(java: &str) -> String {
    let chars: Vec<char> = java.chars().collect();
    let mut out = String::with_capacity(java.len() + 16);
    let mut class_depth = 0usize;
    let mut dotall = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' if i + 1 < chars.len() => {
                i = escape(&chars, i + 1, class_depth > 0, &mut out);
                continue;
            }
            '[' => {
                class_depth += 1;
                out.push('[');
                // A leading `]` or `^]` is literal in both dialects; copy it unchanged.
            }
            ']' if class_depth > 0 => {
                class_depth -= 1;
                out.push(']');
            }
            '.' if class_depth == 0 && !dotall => out.push_str(NOT_LINE_END),
            '(' if class_depth == 0 && java[byte_index(&chars, i)..].starts_with("(?s)") => {
                dotall = true;
                out.push('(');
            }
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

fn byte_index(chars: &[char], i: usize) -> usize {
    chars[..i].iter().map(|c| c.len_utf8()).sum()
}

/// Translates the escape whose letter is at `at`; returns the index after it.
fn escape(chars: &[char], at: usize, in_class: bool, out: &mut String) -> usize {
    let c = chars[at];
    let class = |set: &str, negated: bool, out: &mut String| match (in_class, negated) {
        (true, false) => out.push_str(set),
        (_, true) => out.push_str(&format!("[^{set}]")),
        (false, false) => out.push_str(&format!("[{set}]")),
    };
    match c {
        'w' => class(WORD, false, out),
        'W' => class(WORD, true, out),
        'd' => class(DIGIT, false, out),
        'D' => class(DIGIT, true, out),
        's' => class(SPACE, false, out),
        'S' => class(SPACE, true, out),
        'v' => class(VERTICAL, false, out),
        'p' | 'P' if chars.get(at + 1) == Some(&'{') => {
            let end = (at..chars.len())
                .find(|&j| chars[j] == '}')
                .unwrap_or(chars.len() - 1);
            out.push('\\');
            out.extend(&chars[at..=end]);
            return end + 1;
        }
        c if c.is_ascii_alphanumeric() => {
            // \t \n \r \f \x.. \b \p and friends mean the same in both dialects.
            out.push('\\');
            out.push(c);
        }
        c if META.contains(c) => {
            out.push('\\');
            out.push(c);
        }
        c => out.push(c),
    }
    at + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is(pattern: &str, text: &str) -> bool {
        Pattern::new(pattern).matches(text)
    }

    #[test]
    fn matches_the_whole_string() {
        assert!(is("[\\w-]+_[0-9a-zA-Z]+", "us-east-1_abc123"));
        assert!(!is("[\\w-]+_[0-9a-zA-Z]+", " us-east-1_abc123"));
        assert!(!is("[\\w-]+_[0-9a-zA-Z]+", "us-east-1_abc123 "));
        assert!(!is("Level[1-4]", "Level12"));
        assert!(is("(un)?authenticated", "unauthenticated"));
    }

    #[test]
    fn java_shorthand_classes_are_ascii() {
        assert!(!is("[\\w]+", "é"));
        assert!(!is("\\d+", "٣"));
        assert!(is("[\\S]+", "é"));
        assert!(!is("[\\S]+", "a b"));
        assert!(!is("^https://[^\\s]+$", "https://a\u{0B}b"));
        assert!(is("[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+", "Zoë-9"));
    }

    #[test]
    fn dot_stops_at_java_line_terminators_unless_dotall() {
        assert!(!is(".*\\{####\\}.*", "code\n{####}"));
        assert!(!is(".*\\{####\\}.*", "code\u{2028}{####}"));
        assert!(is(".*\\{####\\}.*", "Your code is {####}."));
        assert!(is("(?s).*", "a\nb"));
    }

    #[test]
    fn lookbehind_and_escaped_punctuation() {
        let domain = "^[0-9A-Za-z\\.\\-_]*(?<!\\.)$";
        assert!(is(domain, "auth.example.com"));
        assert!(!is(domain, "auth.example."));
        let secret = "^arn\\:(aws|aws-us-gov|aws-eusc)\\:secretsmanager\\:([\\d\\w\\-]+):(\\d{12})\\:secret\\/[\\w+=\\/,.@\\-]+$";
        assert!(is(
            secret,
            "arn:aws:secretsmanager:us-east-1:123456789012:secret/app-Ab1"
        ));
        assert!(!is(
            secret,
            "arn:aws:secretsmanager:us-east-1:12345:secret/x"
        ));
        assert!(is("[A-Za-z0-9-_=.]+", "a-b_c=d.e"));
    }
}
