//! Interned strings. A million changes name a few thousand repositories, branches and
//! addresses over and over; each distinct string is stored once and referred to by a
//! 4-byte [`Sym`], which also makes equality and hashing cheap in the hot loops.

use rustc_hash::FxHashMap;

/// A handle to an interned string; only meaningful with the [`Symbols`] that made it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Sym(u32);

impl Sym {
    /// The position of the string in its table, for dense per-symbol arrays.
    #[must_use]
    pub fn index(self) -> usize {
        self.0 as usize
    }

    /// The symbol at a position of its table (for walking a table in order).
    #[must_use]
    pub fn from_index(index: usize) -> Self {
        Self(u32::try_from(index).unwrap_or(u32::MAX))
    }
}

/// A string table.
#[derive(Debug, Default, Clone)]
pub struct Symbols {
    ids: FxHashMap<Box<str>, Sym>,
    strings: Vec<Box<str>>,
}

impl Symbols {
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// The symbol for `text`, adding it when new.
    pub fn intern(&mut self, text: &str) -> Sym {
        if let Some(&sym) = self.ids.get(text) {
            return sym;
        }
        let sym = Sym(u32::try_from(self.strings.len()).expect("fewer than 2^32 distinct strings"));
        self.strings.push(text.into());
        self.ids.insert(text.into(), sym);
        sym
    }

    /// The symbol for `text` if it was interned.
    #[must_use]
    pub fn get(&self, text: &str) -> Option<Sym> {
        self.ids.get(text).copied()
    }

    #[must_use]
    pub fn resolve(&self, sym: Sym) -> &str {
        self.strings.get(sym.index()).map_or("", |s| s)
    }

    #[must_use]
    pub fn len(&self) -> usize {
        self.strings.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.strings.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interning_is_idempotent() {
        let mut s = Symbols::new();
        let a = s.intern("openstack/nova");
        let b = s.intern("openstack/neutron");
        assert_eq!(s.intern("openstack/nova"), a);
        assert_ne!(a, b);
        assert_eq!(s.resolve(b), "openstack/neutron");
        assert_eq!(s.get("openstack/glance"), None);
        assert_eq!(s.len(), 2);
    }
}
