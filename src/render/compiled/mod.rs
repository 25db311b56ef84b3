//! The default theme's busiest templates compiled into Rust: `build.rs`
//! turns each template named in its `COMPILED` list (the pilot page, the
//! lessons page, the pages of the pilot list, of each tag, of the playbook
//! and of the decisions awaiting each sponsor, and the rows of the long
//! tables) into a module here with a
//! `render` function over the typed view that template gets (see
//! `build/templates.rs`). The templates stay the one place the markup is
//! written; the compiled pages only skip Tera's value maps, which at
//! 10,000 pilots were most of a build. A compiled template is used only
//! while every template it is made from is the built-in one
//! ([`super::Renderer::builtin`]); a theme or site that replaces one gets
//! Tera.
//!
//! The traits below give the generated code Tera's meaning for each type
//! a view holds: how `{{ x }}` writes it (escaped as Tera's autoescape
//! does), whether `{% if x %}` holds (an empty string or list and zero are
//! false), its text and number for comparisons, its length, and what
//! `{% for %}` goes over. A view field of a type without them fails the
//! build, as does a template naming a field its view does not have.

use super::views::*;
use super::{ChangesCtx, PageCtx, PilotCtx, RowsCtx, TagCtx};
use std::borrow::Cow;
use std::fmt::Write as _;

include!(concat!(env!("OUT_DIR"), "/templates.rs"));

/// `{{ s }}` of text.
fn esc(o: &mut String, s: &str) {
    crate::escape::push(o, s);
}

/// `{{ n }}` of a number.
fn num(o: &mut String, n: i128) {
    let _ = write!(o, "{n}");
}

/// What `{{ x }}` writes.
pub(crate) trait Show {
    fn show(&self, o: &mut String);
}

/// What `{{ x | safe }}` writes.
pub(crate) trait Raw {
    fn raw(&self, o: &mut String);
}

/// Whether `{% if x %}` holds.
pub(crate) trait Truthy {
    fn truthy(&self) -> bool;
}

/// What `x == "text"` compares.
pub(crate) trait Text {
    fn text(&self) -> &str;
}

/// What `x > 0` compares.
pub(crate) trait Num {
    fn num(&self) -> i128;
}

/// `x | length`.
pub(crate) trait Len {
    fn len(&self) -> usize;
}

/// `list[i]` (no compiled template indexes a list by a variable today;
/// the compiler writes it when one does).
#[allow(dead_code)]
pub(crate) trait Index {
    fn index(&self) -> usize;
}

/// What `{% for x in list %}` goes over.
pub(crate) trait Each {
    type Item<'b>
    where
        Self: 'b;
    fn each(&self) -> impl Iterator<Item = Self::Item<'_>>;
}

impl<T: Show + ?Sized> Show for &T {
    fn show(&self, o: &mut String) {
        (**self).show(o);
    }
}
impl<T: Raw + ?Sized> Raw for &T {
    fn raw(&self, o: &mut String) {
        (**self).raw(o);
    }
}
impl<T: Truthy + ?Sized> Truthy for &T {
    fn truthy(&self) -> bool {
        (**self).truthy()
    }
}
impl<T: Text + ?Sized> Text for &T {
    fn text(&self) -> &str {
        (**self).text()
    }
}
impl<T: Num + ?Sized> Num for &T {
    fn num(&self) -> i128 {
        (**self).num()
    }
}
impl<T: Len + ?Sized> Len for &T {
    fn len(&self) -> usize {
        (**self).len()
    }
}
impl<T: Index + ?Sized> Index for &T {
    fn index(&self) -> usize {
        (**self).index()
    }
}
impl<T: Each + ?Sized> Each for &T {
    type Item<'b>
        = T::Item<'b>
    where
        Self: 'b;
    fn each(&self) -> impl Iterator<Item = Self::Item<'_>> {
        (**self).each()
    }
}

// Text.
macro_rules! text {
    ($($t:ty),*) => {$(
        impl Show for $t {
            fn show(&self, o: &mut String) {
                esc(o, self);
            }
        }
        impl Raw for $t {
            fn raw(&self, o: &mut String) {
                o.push_str(self);
            }
        }
        impl Truthy for $t {
            fn truthy(&self) -> bool {
                !self.is_empty()
            }
        }
        impl Text for $t {
            fn text(&self) -> &str {
                self
            }
        }
        impl Len for $t {
            fn len(&self) -> usize {
                self.chars().count()
            }
        }
    )*};
}
text!(str, String, Cow<'_, str>);

// Numbers.
macro_rules! number {
    ($($t:ty),*) => {$(
        impl Show for $t {
            fn show(&self, o: &mut String) {
                let _ = write!(o, "{self}");
            }
        }
        impl Truthy for $t {
            fn truthy(&self) -> bool {
                *self != 0
            }
        }
        impl Num for $t {
            fn num(&self) -> i128 {
                *self as i128
            }
        }
        impl Index for $t {
            fn index(&self) -> usize {
                *self as usize
            }
        }
    )*};
}
number!(u8, usize, u32, u64, i32, i64);

impl Show for bool {
    fn show(&self, o: &mut String) {
        o.push_str(if *self { "true" } else { "false" });
    }
}
impl Truthy for bool {
    fn truthy(&self) -> bool {
        *self
    }
}

// Lists.
impl<T> Truthy for [T] {
    fn truthy(&self) -> bool {
        !self.is_empty()
    }
}
impl<T> Len for [T] {
    fn len(&self) -> usize {
        <[T]>::len(self)
    }
}
impl<T> Each for [T] {
    type Item<'b>
        = &'b T
    where
        T: 'b;
    fn each(&self) -> impl Iterator<Item = &T> {
        self.iter()
    }
}
impl<T> Truthy for Vec<T> {
    fn truthy(&self) -> bool {
        !self.is_empty()
    }
}
impl<T> Len for Vec<T> {
    fn len(&self) -> usize {
        <[T]>::len(self)
    }
}
impl<T> Each for Vec<T> {
    type Item<'b>
        = &'b T
    where
        T: 'b;
    fn each(&self) -> impl Iterator<Item = &T> {
        self.iter()
    }
}

/// A chunk of rows made before the page: written as it is when Tera would
/// (a string marked safe), else escaped.
impl Show for tera::Value {
    fn show(&self, o: &mut String) {
        match self.as_str() {
            Some(s) if self.is_safe() => o.push_str(s),
            Some(s) => esc(o, s),
            None => o.push_str(&self.to_string()),
        }
    }
}

impl<T> Truthy for Maybe<T> {
    fn truthy(&self) -> bool {
        self.is_some()
    }
}

// The values of a constraint row (see `views`).

impl<const N: usize> Show for Joined<'_, N> {
    fn show(&self, o: &mut String) {
        // Escaping is one character at a time, so the parts escaped one by
        // one are the whole escaped.
        for part in self.0 {
            esc(o, part);
        }
    }
}
impl<const N: usize> Truthy for Joined<'_, N> {
    fn truthy(&self) -> bool {
        !self.is_empty()
    }
}
impl Show for Day {
    fn show(&self, o: &mut String) {
        if let Some(d) = self.0 {
            d.push_to(o);
        }
    }
}
impl Truthy for Day {
    fn truthy(&self) -> bool {
        self.0.is_some()
    }
}
impl Show for Count {
    fn show(&self, o: &mut String) {
        if let Some(n) = self.0 {
            let _ = write!(o, "{n}");
        }
    }
}
impl Truthy for Count {
    fn truthy(&self) -> bool {
        self.0.is_some()
    }
}
impl Show for Said<'_> {
    fn show(&self, o: &mut String) {
        self.write(o, esc);
    }
}
impl Truthy for Said<'_> {
    fn truthy(&self) -> bool {
        !self.is_empty()
    }
}

/// A pilot's constraints, each row made as the loop reaches it.
impl Truthy for Rows<'_> {
    fn truthy(&self) -> bool {
        !self.is_empty()
    }
}
impl Len for Rows<'_> {
    fn len(&self) -> usize {
        Rows::len(self)
    }
}
impl<'a> Each for Rows<'a> {
    type Item<'b>
        = ConstraintRow<'a>
    where
        Self: 'b;
    fn each(&self) -> impl Iterator<Item = ConstraintRow<'a>> {
        let (p, site, links) = (self.pilot, self.site, self.links);
        self.list.iter().map(move |c| super::pilot::constraint_row(p, c, site, links))
    }
}

#[cfg(test)]
mod tests;
