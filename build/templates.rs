//! The template compiler: turns the default theme's busiest templates
//! (`COMPILED` in `build.rs`) into Rust functions over the typed views, so
//! that the templates are the one place their markup is written and the
//! pages are still made without Tera's value maps.
//!
//! It reads the subset of Tera those templates use: text, `{{ expr }}`,
//! `{# comments #}`, `{% extends %}` with `{% block %}`, `{% include %}`
//! (the included template's nodes put in its place, seeing the names
//! there, as Tera's does), `{% if %}` / `{% elif %}` / `{% else %}`,
//! `{% for x in list %}` (with `loop.index`, `loop.index0`, `loop.first`
//! and `loop.last`; over a list written in the template, such as
//! `[["stage", "Stage", filters.stages], ...]`, the loop is unrolled and
//! `x[0]` is the item's first expression), `{% set %}`, and the
//! `-` that trims white space beside a tag. Expressions: names, `.field`,
//! `[index]`, string, integer and `true`/`false` literals, lists of strings after `in`,
//! `==` `!=` `<` `>` `<=` `>=`, `in`, `not`, `and`, `or`, `a if c else b`,
//! and the filters `safe`, `length` and `replace(from=, to=)`. Anything
//! else stops the build with the template's name and line, saying to
//! render that template with Tera instead (leave it out of `COMPILED`).
//!
//! The meaning is Tera's: `{{ x }}` is escaped as the autoescape does
//! (`crate::escape::push`), an empty string, list or zero is false, and a
//! comparison of a value with a string compares its text. The code calls
//! the traits of `src/render/compiled.rs` for that, so the generated code
//! is checked by the Rust compiler against the views: a template that
//! names a field a view does not have fails the build. The tests of
//! `src/render/compiled.rs` hold every compiled page to Tera's bytes.

use std::collections::HashMap;
use std::fmt::Write as _;

/// One compiled template: its name, the Rust function's module, the Rust
/// type of its context, the names that are fields of the context, and the
/// field that holds every other name (Tera's `#[serde(flatten)]`).
pub struct Compiled {
    pub template: &'static str,
    pub module: &'static str,
    pub context: &'static str,
    pub fields: &'static [&'static str],
    pub rest: Option<&'static str>,
}

/// What a template said that the compiler cannot use.
#[derive(Debug)]
pub struct Error(pub String);

/// Compiles `spec` (its template and every template it extends, from
/// `read`) into a Rust module: `pub const SOURCES` (the templates it was
/// made from) and `pub fn render(o: &mut String, ctx: &Context)`.
pub fn compile(spec: &Compiled, read: &dyn Fn(&str) -> Option<String>) -> Result<String, Error> {
    let mut sources = vec![spec.template.to_string()];
    let text = read(spec.template).ok_or_else(|| Error(format!("no template {}", spec.template)))?;
    let mut nodes = parse(spec.template, &text)?;
    // `{% extends %}`: the parent's nodes, with this template's blocks.
    while let Some(Node::Extends(parent)) = nodes.iter().find(|n| !matches!(n, Node::Text(t) if t.trim().is_empty())) {
        let parent = parent.clone();
        let mut blocks = HashMap::new();
        for n in nodes {
            if let Node::Block(name, body) = n {
                blocks.insert(name, body);
            }
        }
        let text = read(&parent).ok_or_else(|| Error(format!("{}: no template {parent} to extend", spec.template)))?;
        nodes = fill(parse(&parent, &text)?, &mut blocks)?;
        sources.push(parent);
    }
    let nodes = include(nodes, read, &mut sources, 0)?;
    let mut g = Gen { spec, pos: Pos::default(), scopes: vec![HashMap::new()], code: String::new(), depth: 1, next: 0 };
    g.nodes(&nodes)?;
    let mut out = String::new();
    let _ = writeln!(out, "/// Made from `{}`.", sources.join("` and `"));
    let _ = writeln!(out, "pub(crate) mod {} {{", spec.module);
    out.push_str("    #[allow(unused_imports)]\n    use super::*;\n");
    let _ = writeln!(out, "    /// The templates this page is made from.");
    let _ = writeln!(out, "    pub(crate) const SOURCES: &[&str] = &{sources:?};");
    let _ = writeln!(out, "    /// What `{}` makes of `ctx`, appended to `o`.", spec.template);
    out.push_str("    #[allow(clippy::all, unused_variables, unused_parens)]\n");
    let _ = writeln!(out, "    pub(crate) fn render(o: &mut String, ctx: &{}) {{", spec.context);
    out.push_str(&g.code);
    out.push_str("    }\n}\n");
    Ok(out)
}

/// Puts the child's blocks in place of the parent's.
fn fill(nodes: Vec<Node>, blocks: &mut HashMap<String, Vec<Node>>) -> Result<Vec<Node>, Error> {
    nodes
        .into_iter()
        .map(|n| match n {
            Node::Block(name, body) => {
                let body = match blocks.remove(&name) {
                    Some(child) => child,
                    None => fill(body, blocks)?,
                };
                Ok(Node::Block(name, body))
            }
            other => map_bodies(other, &mut |body| fill(body, blocks)),
        })
        .collect()
}

/// Puts each `{% include %}`d template's nodes in its place, where they
/// see the names bound there (Tera's include renders with the context of
/// where it is); each included template joins `sources`.
fn include(
    nodes: Vec<Node>,
    read: &dyn Fn(&str) -> Option<String>,
    sources: &mut Vec<String>,
    depth: usize,
) -> Result<Vec<Node>, Error> {
    let mut out = Vec::with_capacity(nodes.len());
    for n in nodes {
        match n {
            Node::Include(name, Pos(file, line)) => {
                if depth > 8 {
                    return Err(Error(format!("{file}:{line}: includes nested more than 8 deep")));
                }
                let text = read(&name).ok_or_else(|| Error(format!("{file}:{line}: no template {name} to include")))?;
                if !sources.contains(&name) {
                    sources.push(name.clone());
                }
                out.extend(include(parse(&name, &text)?, read, sources, depth + 1)?);
            }
            other => out.push(map_bodies(other, &mut |body| include(body, read, sources, depth))?),
        }
    }
    Ok(out)
}

/// `n` with `f` applied to each list of nodes it holds (the arms and the
/// `else` of an `if`, the body of a `for` or a block); any other node as
/// it is.
fn map_bodies(n: Node, f: &mut dyn FnMut(Vec<Node>) -> Result<Vec<Node>, Error>) -> Result<Node, Error> {
    Ok(match n {
        Node::If(arms, otherwise) => {
            let mut done = Vec::with_capacity(arms.len());
            for (cond, at, body) in arms {
                done.push((cond, at, f(body)?));
            }
            let otherwise = match otherwise {
                Some(body) => Some(f(body)?),
                None => None,
            };
            Node::If(done, otherwise)
        }
        Node::For(var, list, at, body) => Node::For(var, list, at, f(body)?),
        Node::Block(name, body) => Node::Block(name, f(body)?),
        other => other,
    })
}

// ---------------------------------------------------------------- parsing

#[derive(Debug, Clone)]
enum Node {
    Text(String),
    Print(Expr, Pos),
    If(Vec<(Expr, Pos, Vec<Node>)>, Option<Vec<Node>>),
    For(String, Expr, Pos, Vec<Node>),
    Set(String, Expr, Pos),
    Block(String, Vec<Node>),
    Extends(String),
    Include(String, Pos),
}

/// Where a tag is: its template and line.
#[derive(Debug, Clone, Default)]
struct Pos(String, usize);

#[derive(Debug, Clone)]
enum Expr {
    Str(String),
    Int(i64),
    Bool(bool),
    List(Vec<Expr>),
    Name(String),
    Attr(Box<Expr>, String),
    Index(Box<Expr>, Box<Expr>),
    Filter(Box<Expr>, String, Vec<(String, Expr)>),
    Not(Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Cmp(Box<Expr>, &'static str, Box<Expr>),
    In(Box<Expr>, Box<Expr>),
    Ternary(Box<Expr>, Box<Expr>, Box<Expr>),
}

/// A piece of a template: text, or a tag's inside with its line and
/// whether it trims the white space before and after it.
enum Piece<'a> {
    Text(&'a str),
    Tag { kind: char, inner: &'a str, line: usize, trim_before: bool, trim_after: bool },
}

fn pieces<'a>(name: &str, text: &'a str) -> Result<Vec<Piece<'a>>, Error> {
    let mut out = Vec::new();
    let mut rest = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i + 1 < bytes.len() {
        let kind = bytes[i + 1];
        if bytes[i] != b'{' || !matches!(kind, b'{' | b'%' | b'#') {
            i += 1;
            continue;
        }
        let line = text[..i].matches('\n').count() + 1;
        out.push(Piece::Text(&text[rest..i]));
        let close = match kind {
            b'{' => "}}",
            b'%' => "%}",
            _ => "#}",
        };
        // The end of the tag, outside any string.
        let mut j = i + 2;
        let mut quote = None;
        let end = loop {
            if j >= bytes.len() {
                return Err(Error(format!("{name}:{line}: a tag is not closed")));
            }
            let b = bytes[j];
            match quote {
                Some(q) if b == q => quote = None,
                Some(_) => {}
                None if kind != b'#' && (b == b'"' || b == b'\'' || b == b'`') => quote = Some(b),
                None if text[j..].starts_with(close) => break j,
                None => {}
            }
            j += 1;
        };
        let mut inner = &text[i + 2..end];
        let trim_before = inner.starts_with('-');
        if trim_before {
            inner = &inner[1..];
        }
        let trim_after = inner.ends_with('-');
        if trim_after {
            inner = &inner[..inner.len() - 1];
        }
        out.push(Piece::Tag { kind: kind as char, inner: inner.trim(), line, trim_before, trim_after });
        i = end + 2;
        rest = i;
    }
    out.push(Piece::Text(&text[rest..]));
    Ok(out)
}

fn parse(name: &str, text: &str) -> Result<Vec<Node>, Error> {
    let pieces = pieces(name, text)?;
    // Texts, trimmed where a neighbouring tag says `-`.
    let mut items: Vec<Item> = Vec::new();
    let mut trim_next = false;
    for (k, piece) in pieces.iter().enumerate() {
        match piece {
            Piece::Text(t) => {
                let mut t: &str = t;
                if trim_next {
                    t = t.trim_start();
                }
                if let Some(Piece::Tag { trim_before: true, .. }) = pieces.get(k + 1) {
                    t = t.trim_end();
                }
                items.push(Item::Text(t.to_string()));
                trim_next = false;
            }
            Piece::Tag { kind, inner, line, trim_after, .. } => {
                trim_next = *trim_after;
                match kind {
                    '#' => {}
                    '{' => items.push(Item::Print(expr(name, *line, inner)?, *line)),
                    _ => items.push(Item::Tag(inner.to_string(), *line)),
                }
            }
        }
    }
    let mut at = 0;
    let (nodes, end) = block(name, &items, &mut at, &[])?;
    match end {
        None => Ok(nodes),
        Some((tag, line)) => Err(Error(format!("{name}:{line}: `{{% {tag} %}}` closes nothing"))),
    }
}

enum Item {
    Text(String),
    Print(Expr, usize),
    Tag(String, usize),
}

/// The tag that ends a block, and its line.
type EndTag = (String, usize);

/// Nodes up to one of the tags in `ends` (returned with its line), or to
/// the end.
fn block(name: &str, items: &[Item], at: &mut usize, ends: &[&str]) -> Result<(Vec<Node>, Option<EndTag>), Error> {
    let mut nodes = Vec::new();
    while let Some(item) = items.get(*at) {
        *at += 1;
        let (tag, line) = match item {
            Item::Text(t) => {
                if !t.is_empty() {
                    nodes.push(Node::Text(t.clone()));
                }
                continue;
            }
            Item::Print(e, line) => {
                nodes.push(Node::Print(e.clone(), Pos(name.to_string(), *line)));
                continue;
            }
            Item::Tag(tag, line) => (tag.as_str(), *line),
        };
        let word = tag.split_whitespace().next().unwrap_or("");
        let rest = tag[word.len()..].trim();
        if ends.contains(&word) {
            return Ok((nodes, Some((tag.to_string(), line))));
        }
        let unclosed = |what: &str| Error(format!("{name}:{line}: `{{% {what} %}}` is not closed"));
        match word {
            "extends" => nodes.push(Node::Extends(string(name, line, rest)?)),
            "include" => nodes.push(Node::Include(string(name, line, rest)?, Pos(name.to_string(), line))),
            "block" => {
                let (body, end) = block(name, items, at, &["endblock"])?;
                end.ok_or_else(|| unclosed(tag))?;
                nodes.push(Node::Block(rest.to_string(), body));
            }
            "if" => {
                let mut arms = Vec::new();
                let mut cond = expr(name, line, rest)?;
                let mut cond_line = line;
                let otherwise = loop {
                    let (body, end) = block(name, items, at, &["elif", "else", "endif"])?;
                    arms.push((cond, Pos(name.to_string(), cond_line), body));
                    let (end, end_line) = end.ok_or_else(|| unclosed(tag))?;
                    let end_word = end.split_whitespace().next().unwrap_or("");
                    match end_word {
                        "elif" => {
                            cond = expr(name, end_line, end[4..].trim())?;
                            cond_line = end_line;
                        }
                        "else" => {
                            let (body, end) = block(name, items, at, &["endif"])?;
                            end.ok_or_else(|| unclosed(tag))?;
                            break Some(body);
                        }
                        _ => break None,
                    }
                };
                nodes.push(Node::If(arms, otherwise));
            }
            "for" => {
                let (var, list) = rest
                    .split_once(" in ")
                    .ok_or_else(|| Error(format!("{name}:{line}: `{{% for x in list %}}` expected")))?;
                let var = var.trim();
                if !is_name(var) {
                    return Err(unsupported(name, line, tag));
                }
                let list = expr(name, line, list)?;
                let (body, end) = block(name, items, at, &["endfor", "else"])?;
                match end {
                    Some((e, _)) if e == "endfor" => {
                        nodes.push(Node::For(var.to_string(), list, Pos(name.to_string(), line), body))
                    }
                    Some(_) => return Err(unsupported(name, line, "for ... else")),
                    None => return Err(unclosed(tag)),
                }
            }
            "set" => {
                let (var, value) = rest
                    .split_once('=')
                    .ok_or_else(|| Error(format!("{name}:{line}: `{{% set x = value %}}` expected")))?;
                let var = var.trim();
                if !is_name(var) {
                    return Err(unsupported(name, line, tag));
                }
                nodes.push(Node::Set(var.to_string(), expr(name, line, value)?, Pos(name.to_string(), line)));
            }
            _ => return Err(unsupported(name, line, tag)),
        }
    }
    Ok((nodes, None))
}

fn unsupported(name: &str, line: usize, what: &str) -> Error {
    refused(name, line, &format!("`{what}`"))
}

fn refused(name: &str, line: usize, what: &str) -> Error {
    Error(format!(
        "{name}:{line}: the template compiler (build/templates.rs) does not handle {what}: \
         extend it, or leave the template out of COMPILED in build.rs so that Tera renders it"
    ))
}

fn is_name(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') && !s.as_bytes()[0].is_ascii_digit()
}

fn string(name: &str, line: usize, s: &str) -> Result<String, Error> {
    match expr(name, line, s)? {
        Expr::Str(s) => Ok(s),
        _ => Err(Error(format!("{name}:{line}: a quoted name expected, found `{s}`"))),
    }
}

// ----------------------------------------------------------- expressions

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Name(String),
    Str(String),
    Int(i64),
    Punct(&'static str),
}

fn tokens(name: &str, line: usize, s: &str) -> Result<Vec<Tok>, Error> {
    const PUNCT: &[&str] = &["==", "!=", "<=", ">=", "<", ">", "(", ")", "[", "]", ".", ",", "|", "=", "-", "+"];
    let mut out = Vec::new();
    let mut chars = s.char_indices().peekable();
    while let Some(&(i, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
        } else if c == '"' || c == '\'' || c == '`' {
            chars.next();
            let mut text = String::new();
            loop {
                match chars.next() {
                    Some((_, q)) if q == c => break,
                    Some((_, ch)) => text.push(ch),
                    None => return Err(Error(format!("{name}:{line}: a string is not closed in `{s}`"))),
                }
            }
            out.push(Tok::Str(text));
        } else if c.is_ascii_digit() {
            let mut n = String::new();
            while let Some(&(_, d)) = chars.peek() {
                if !d.is_ascii_digit() {
                    break;
                }
                n.push(d);
                chars.next();
            }
            out.push(Tok::Int(n.parse().map_err(|_| Error(format!("{name}:{line}: number {n} too large")))?));
        } else if c.is_alphabetic() || c == '_' {
            let mut n = String::new();
            while let Some(&(_, d)) = chars.peek() {
                if !(d.is_alphanumeric() || d == '_') {
                    break;
                }
                n.push(d);
                chars.next();
            }
            out.push(Tok::Name(n));
        } else if let Some(p) = PUNCT.iter().find(|p| s[i..].starts_with(**p)) {
            for _ in 0..p.len() {
                chars.next();
            }
            out.push(Tok::Punct(p));
        } else {
            return Err(unsupported(name, line, s));
        }
    }
    Ok(out)
}

struct Parser<'a> {
    name: &'a str,
    line: usize,
    text: &'a str,
    toks: Vec<Tok>,
    at: usize,
}

fn expr(name: &str, line: usize, text: &str) -> Result<Expr, Error> {
    let mut p = Parser { name, line, text, toks: tokens(name, line, text)?, at: 0 };
    let e = p.ternary()?;
    if p.at != p.toks.len() {
        return Err(p.err());
    }
    Ok(e)
}

impl Parser<'_> {
    fn err(&self) -> Error {
        unsupported(self.name, self.line, self.text)
    }

    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.at)
    }

    fn eat_word(&mut self, w: &str) -> bool {
        if matches!(self.peek(), Some(Tok::Name(n)) if n == w) {
            self.at += 1;
            return true;
        }
        false
    }

    fn eat(&mut self, p: &str) -> bool {
        if matches!(self.peek(), Some(Tok::Punct(q)) if *q == p) {
            self.at += 1;
            return true;
        }
        false
    }

    fn expect(&mut self, p: &str) -> Result<(), Error> {
        if self.eat(p) {
            Ok(())
        } else {
            Err(self.err())
        }
    }

    fn ternary(&mut self) -> Result<Expr, Error> {
        let value = self.or()?;
        if self.eat_word("if") {
            let cond = self.or()?;
            if !self.eat_word("else") {
                return Err(self.err());
            }
            let otherwise = self.ternary()?;
            return Ok(Expr::Ternary(Box::new(cond), Box::new(value), Box::new(otherwise)));
        }
        Ok(value)
    }

    fn or(&mut self) -> Result<Expr, Error> {
        let mut e = self.and()?;
        while self.eat_word("or") {
            e = Expr::Or(Box::new(e), Box::new(self.and()?));
        }
        Ok(e)
    }

    fn and(&mut self) -> Result<Expr, Error> {
        let mut e = self.not()?;
        while self.eat_word("and") {
            e = Expr::And(Box::new(e), Box::new(self.not()?));
        }
        Ok(e)
    }

    fn not(&mut self) -> Result<Expr, Error> {
        if self.eat_word("not") {
            return Ok(Expr::Not(Box::new(self.not()?)));
        }
        self.compare()
    }

    fn compare(&mut self) -> Result<Expr, Error> {
        let left = self.filtered()?;
        for op in ["==", "!=", "<=", ">=", "<", ">"] {
            if self.eat(op) {
                return Ok(Expr::Cmp(Box::new(left), op, Box::new(self.filtered()?)));
            }
        }
        if self.eat_word("in") {
            return Ok(Expr::In(Box::new(left), Box::new(self.filtered()?)));
        }
        if matches!(self.peek(), Some(Tok::Name(n)) if n == "is") {
            return Err(self.err());
        }
        Ok(left)
    }

    fn filtered(&mut self) -> Result<Expr, Error> {
        let mut e = self.postfix()?;
        while self.eat("|") {
            let Some(Tok::Name(filter)) = self.peek().cloned() else { return Err(self.err()) };
            self.at += 1;
            let mut args = Vec::new();
            if self.eat("(") {
                while !self.eat(")") {
                    let Some(Tok::Name(key)) = self.peek().cloned() else { return Err(self.err()) };
                    self.at += 1;
                    self.expect("=")?;
                    args.push((key, self.ternary()?));
                    self.eat(",");
                }
            }
            e = Expr::Filter(Box::new(e), filter, args);
        }
        Ok(e)
    }

    fn postfix(&mut self) -> Result<Expr, Error> {
        let mut e = self.primary()?;
        loop {
            if self.eat(".") {
                let Some(Tok::Name(field)) = self.peek().cloned() else { return Err(self.err()) };
                self.at += 1;
                e = Expr::Attr(Box::new(e), field);
            } else if self.eat("[") {
                let index = self.ternary()?;
                self.expect("]")?;
                e = Expr::Index(Box::new(e), Box::new(index));
            } else {
                return Ok(e);
            }
        }
    }

    fn primary(&mut self) -> Result<Expr, Error> {
        let tok = self.peek().cloned().ok_or_else(|| self.err())?;
        self.at += 1;
        match tok {
            Tok::Str(s) => Ok(Expr::Str(s)),
            Tok::Int(n) => Ok(Expr::Int(n)),
            Tok::Name(n) if n == "true" || n == "false" => Ok(Expr::Bool(n == "true")),
            Tok::Name(n) if n == "none" => Err(self.err()),
            Tok::Name(n) => Ok(Expr::Name(n)),
            Tok::Punct("(") => {
                let e = self.ternary()?;
                self.expect(")")?;
                Ok(e)
            }
            Tok::Punct("[") => {
                let mut items = Vec::new();
                while !self.eat("]") {
                    items.push(self.ternary()?);
                    if !self.eat(",") {
                        self.expect("]")?;
                        break;
                    }
                }
                Ok(Expr::List(items))
            }
            _ => Err(self.err()),
        }
    }
}

// ----------------------------------------------------------- generation

/// A Rust expression and what kind of value it is.
#[derive(Clone)]
enum Code {
    /// A place of some view type: the traits of `compiled.rs` say how it
    /// prints, tests and compares.
    Value(String),
    /// A `&str`.
    Str(String),
    /// An `i128`.
    Int(String),
    Bool(String),
    /// Text written as it is (`| safe`).
    Safe(String),
    /// An item of a list written in the template that is itself a list
    /// (`["stage", "Stage", filters.stages]`): `x[n]` is its `n`th
    /// expression, compiled where it is asked for.
    Items(Vec<Expr>),
}

struct Gen<'a> {
    spec: &'a Compiled,
    /// Where the tag being compiled is.
    pos: Pos,
    /// Template names bound by `for` and `set`, innermost last.
    scopes: Vec<HashMap<String, Code>>,
    code: String,
    depth: usize,
    next: usize,
}

impl Gen<'_> {
    fn line(&mut self, s: &str) {
        for _ in 0..=self.depth {
            self.code.push_str("    ");
        }
        self.code.push_str(s);
        self.code.push('\n');
    }

    /// A line made from a tag, with the tag's place in a comment, so that
    /// rustc's error about it (a field a view does not have) shows where
    /// the template says it.
    fn tag_line(&mut self, s: &str) {
        let Pos(file, line) = self.pos.clone();
        self.line(&format!("{s} // {file}:{line}"));
    }

    fn err(&self, what: &str) -> Error {
        let Pos(file, line) = &self.pos;
        if what.starts_with('`') && what.contains("is not in the context") {
            return Error(format!("{file}:{line}: {what}"));
        }
        refused(file, *line, what)
    }

    fn nodes(&mut self, nodes: &[Node]) -> Result<(), Error> {
        for n in nodes {
            self.node(n)?;
        }
        Ok(())
    }

    fn node(&mut self, n: &Node) -> Result<(), Error> {
        match n {
            Node::Text(t) => self.line(&format!("o.push_str({t:?});")),
            Node::Print(e, at) => {
                self.pos = at.clone();
                let c = self.expr(e)?;
                let s = match c {
                    Code::Value(v) => format!("Show::show(&{v}, o);"),
                    Code::Str(s) => format!("esc(o, {s});"),
                    Code::Int(i) => format!("num(o, {i});"),
                    Code::Bool(b) => format!("o.push_str(if {b} {{ \"true\" }} else {{ \"false\" }});"),
                    Code::Safe(s) => format!("Raw::raw(&{s}, o);"),
                    Code::Items(_) => return Err(self.err("a list written in the template, printed")),
                };
                self.tag_line(&s);
            }
            Node::If(arms, otherwise) => {
                for (k, (cond, at, body)) in arms.iter().enumerate() {
                    self.pos = at.clone();
                    let c = self.truthy(cond)?;
                    self.tag_line(&format!("{}if {c} {{", if k == 0 { "" } else { "} else " }));
                    self.scoped(body)?;
                }
                if let Some(body) = otherwise {
                    self.line("} else {");
                    self.scoped(body)?;
                }
                self.line("}");
            }
            Node::For(var, Expr::List(items), at, body) => {
                // Unrolled: each item's body in a block of its own.
                for (k, item) in items.iter().enumerate() {
                    self.pos = at.clone();
                    let bound = match item {
                        Expr::List(parts) => Code::Items(parts.clone()),
                        other => self.expr(other)?,
                    };
                    self.tag_line("{");
                    self.scopes.push(HashMap::from([
                        (var.clone(), bound),
                        ("loop.index".to_string(), Code::Int(format!("{}i128", k + 1))),
                        ("loop.index0".to_string(), Code::Int(format!("{k}i128"))),
                        ("loop.first".to_string(), Code::Bool((k == 0).to_string())),
                        ("loop.last".to_string(), Code::Bool((k + 1 == items.len()).to_string())),
                    ]));
                    self.depth += 1;
                    self.nodes(body)?;
                    self.depth -= 1;
                    self.scopes.pop();
                    self.line("}");
                }
            }
            Node::For(var, list, at, body) => {
                self.pos = at.clone();
                let list = match self.expr(list)? {
                    Code::Value(v) => v,
                    _ => return Err(self.err("`for` over something that is not a list")),
                };
                let v = self.fresh(var);
                // Counted from 0 (underscored: most loops never ask).
                self.next += 1;
                let i = format!("_i{}", self.next);
                self.tag_line(&format!("for ({i}, {v}) in Each::each(&{list}).enumerate() {{"));
                self.scopes.push(HashMap::from([
                    (var.clone(), Code::Value(v)),
                    ("loop.index".to_string(), Code::Int(format!("(({i} + 1) as i128)"))),
                    ("loop.index0".to_string(), Code::Int(format!("({i} as i128)"))),
                    ("loop.first".to_string(), Code::Bool(format!("({i} == 0)"))),
                    ("loop.last".to_string(), Code::Bool(format!("({i} + 1 == Len::len(&{list}))"))),
                ]));
                self.depth += 1;
                self.nodes(body)?;
                self.depth -= 1;
                self.scopes.pop();
                self.line("}");
            }
            Node::Set(var, value, at) => {
                self.pos = at.clone();
                let v = self.fresh(var);
                let (code, bound) = match self.expr(value)? {
                    Code::Value(x) => (format!("&{x}"), Code::Value(format!("(*{v})"))),
                    Code::Str(s) => (s, Code::Str(v.clone())),
                    Code::Int(i) => (i, Code::Int(v.clone())),
                    Code::Bool(b) => (b, Code::Bool(v.clone())),
                    Code::Safe(s) => (format!("&{s}"), Code::Safe(format!("(*{v})"))),
                    Code::Items(_) => return Err(self.err("`set` to a list written in the template")),
                };
                self.tag_line(&format!("let {v} = {code};"));
                self.scopes.last_mut().expect("a scope").insert(var.clone(), bound);
            }
            Node::Block(_, body) => self.nodes(body)?,
            Node::Extends(_) => return Err(self.err("`extends` after the start")),
            Node::Include(..) => return Err(self.err("`include` left unexpanded")),
        }
        Ok(())
    }

    fn scoped(&mut self, body: &[Node]) -> Result<(), Error> {
        self.scopes.push(HashMap::new());
        self.depth += 1;
        self.nodes(body)?;
        self.depth -= 1;
        self.scopes.pop();
        Ok(())
    }

    fn fresh(&mut self, var: &str) -> String {
        self.next += 1;
        format!("v{}_{var}", self.next)
    }

    fn truthy(&mut self, e: &Expr) -> Result<String, Error> {
        Ok(match self.expr(e)? {
            Code::Value(v) | Code::Safe(v) => format!("Truthy::truthy(&{v})"),
            Code::Str(s) => format!("!{s}.is_empty()"),
            Code::Int(i) => format!("({i} != 0)"),
            Code::Bool(b) => b,
            Code::Items(items) => (!items.is_empty()).to_string(),
        })
    }

    fn text(&mut self, e: &Expr) -> Result<String, Error> {
        Ok(match self.expr(e)? {
            Code::Value(v) | Code::Safe(v) => format!("Text::text(&{v})"),
            Code::Str(s) => s,
            _ => return Err(self.err("a number or a test where text is expected")),
        })
    }

    fn int(&mut self, e: &Expr) -> Result<String, Error> {
        Ok(match self.expr(e)? {
            Code::Value(v) => format!("Num::num(&{v})"),
            Code::Int(i) => i,
            _ => return Err(self.err("text or a test where a number is expected")),
        })
    }

    fn expr(&mut self, e: &Expr) -> Result<Code, Error> {
        Ok(match e {
            Expr::Str(s) => Code::Str(format!("{s:?}")),
            Expr::Int(n) => Code::Int(format!("{n}i128")),
            Expr::Bool(b) => Code::Bool(b.to_string()),
            Expr::List(_) => return Err(self.err("a list outside `in [...]`")),
            Expr::Name(n) => self.name(n)?,
            // Tera's `loop.index` (from 1), `loop.index0` and `loop.first`
            // of the innermost `for`.
            Expr::Attr(inner, field) if matches!(&**inner, Expr::Name(n) if n == "loop") => {
                let key = format!("loop.{field}");
                match self.scopes.iter().rev().find_map(|scope| scope.get(&key)) {
                    Some(c) => c.clone(),
                    None => {
                        return Err(
                            self.err(&format!("`{key}` (outside a `for`, or not one of index, index0, first, last)"))
                        )
                    }
                }
            }
            Expr::Attr(inner, field) => match self.expr(inner)? {
                Code::Value(v) => Code::Value(format!("({v}.{field})")),
                _ => return Err(self.err(&format!("`.{field}` of something that is not a view"))),
            },
            Expr::Index(inner, index) => {
                let list = match self.expr(inner)? {
                    Code::Items(items) => {
                        let Expr::Int(n) = **index else {
                            return Err(self.err("an index other than a number into a list written in the template"));
                        };
                        let item = usize::try_from(n).ok().and_then(|n| items.get(n));
                        let item = item.ok_or_else(|| self.err(&format!("an index {n} past a list's end")))?;
                        return self.expr(item);
                    }
                    Code::Value(v) => v,
                    _ => return Err(self.err("an index into something that is not a list")),
                };
                let i = match self.expr(index)? {
                    Code::Value(v) => format!("Index::index(&{v})"),
                    Code::Int(i) => format!("({i} as usize)"),
                    _ => return Err(self.err("an index that is not a number")),
                };
                Code::Value(format!("({list}[{i}])"))
            }
            Expr::Filter(inner, name, args) => self.filter(inner, name, args)?,
            Expr::Not(inner) => Code::Bool(format!("!{}", self.truthy(inner)?)),
            Expr::And(a, b) => Code::Bool(format!("({} && {})", self.truthy(a)?, self.truthy(b)?)),
            Expr::Or(a, b) => Code::Bool(format!("({} || {})", self.truthy(a)?, self.truthy(b)?)),
            Expr::Cmp(a, op, b) => {
                let numeric = |e: &Expr| matches!(e, Expr::Int(_) | Expr::Filter(_, _, _)) && !is_text_filter(e);
                // `<` and `>` between two values: between numbers (no
                // template orders texts).
                if numeric(a) || numeric(b) || !(*op == "==" || *op == "!=") {
                    Code::Bool(format!("({} {op} {})", self.int(a)?, self.int(b)?))
                } else {
                    Code::Bool(format!("({} {op} {})", self.text(a)?, self.text(b)?))
                }
            }
            Expr::In(item, list) => {
                let Expr::List(items) = &**list else { return Err(self.err("`in` something other than `[...]`")) };
                let mut strs = Vec::new();
                for it in items {
                    match it {
                        Expr::Str(s) => strs.push(format!("{s:?}")),
                        _ => return Err(self.err("`in [...]` of something other than strings")),
                    }
                }
                Code::Bool(format!("[{}].contains(&{})", strs.join(", "), self.text(item)?))
            }
            Expr::Ternary(cond, value, otherwise) => {
                let c = self.truthy(cond)?;
                Code::Str(format!("(if {c} {{ {} }} else {{ {} }})", self.text(value)?, self.text(otherwise)?))
            }
        })
    }

    fn name(&mut self, n: &str) -> Result<Code, Error> {
        for scope in self.scopes.iter().rev() {
            if let Some(c) = scope.get(n) {
                return Ok(c.clone());
            }
        }
        if self.spec.fields.contains(&n) {
            return Ok(Code::Value(format!("(ctx.{n})")));
        }
        match self.spec.rest {
            Some(rest) => Ok(Code::Value(format!("(ctx.{rest}.{n})"))),
            None => Err(self.err(&format!("`{n}` is not in the context ({})", self.spec.fields.join(", ")))),
        }
    }

    fn filter(&mut self, inner: &Expr, name: &str, args: &[(String, Expr)]) -> Result<Code, Error> {
        let arg = |key: &str| args.iter().find(|(k, _)| k == key).map(|(_, e)| e.clone());
        match (name, args.len()) {
            ("safe", 0) => Ok(Code::Safe(match self.expr(inner)? {
                Code::Value(v) => v,
                Code::Str(s) => s,
                _ => return Err(self.err("`safe` of something that is not text")),
            })),
            ("length", 0) => Ok(Code::Int(match self.expr(inner)? {
                Code::Value(v) => format!("(Len::len(&{v}) as i128)"),
                Code::Str(s) => format!("({s}.chars().count() as i128)"),
                _ => return Err(self.err("`length` of something that is not a list or text")),
            })),
            ("replace", 2) => {
                let (Some(Expr::Str(from)), Some(Expr::Str(to))) = (arg("from"), arg("to")) else {
                    return Err(self.err("`replace` takes from=\"...\" and to=\"...\""));
                };
                let s = self.text(inner)?;
                Ok(Code::Str(format!("(&*{s}.replace({from:?}, {to:?}))")))
            }
            _ => Err(self.err(&format!("the filter `{name}`"))),
        }
    }
}

fn is_text_filter(e: &Expr) -> bool {
    matches!(e, Expr::Filter(_, name, _) if name != "length")
}
