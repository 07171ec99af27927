//! Every error of a form at once: a parser takes each field's result into a
//! [`Gather`] instead of returning at the first `Err`, so the page can mark all the
//! wrong inputs in one round trip.

/// The errors of one input: never empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Errors<E> {
    first: E,
    rest: Vec<E>,
}

impl<E> Errors<E> {
    /// The first error, in the order of the form.
    pub fn first(&self) -> &E {
        &self.first
    }

    /// The first error alone (where one message is all a caller can show).
    pub fn into_first(self) -> E {
        self.first
    }

    /// How many errors there are (at least one).
    pub fn len(&self) -> usize {
        1 + self.rest.len()
    }

    /// Never true; here for clippy's `len_without_is_empty`.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// The errors in form order.
    pub fn iter(&self) -> impl Iterator<Item = &E> {
        std::iter::once(&self.first).chain(&self.rest)
    }

    /// The errors in form order.
    pub fn into_vec(self) -> Vec<E> {
        let mut all = Vec::with_capacity(self.len());
        all.push(self.first);
        all.extend(self.rest);
        all
    }

    /// These errors and then `more`.
    #[must_use]
    pub fn with(mut self, more: impl IntoIterator<Item = E>) -> Self {
        self.rest.extend(more);
        self
    }

    /// The same errors ordered by `key` (stable: equal keys keep their order).
    #[must_use]
    pub fn sorted_by_key<K: Ord>(self, key: impl FnMut(&E) -> K) -> Self {
        let mut all = self.into_vec();
        all.sort_by_key(key);
        // `all` holds at least the first error.
        let first = all.remove(0);
        Self { first, rest: all }
    }

    /// Each error turned into another type.
    pub fn map<F>(self, mut f: impl FnMut(E) -> F) -> Errors<F> {
        Errors {
            first: f(self.first),
            rest: self.rest.into_iter().map(f).collect(),
        }
    }
}

impl<E> From<E> for Errors<E> {
    fn from(error: E) -> Self {
        Self {
            first: error,
            rest: Vec::new(),
        }
    }
}

/// Collects the errors of a form's fields, in the order they are checked.
#[derive(Debug)]
pub struct Gather<E> {
    errors: Vec<E>,
}

impl<E> Default for Gather<E> {
    fn default() -> Self {
        Self { errors: Vec::new() }
    }
}

impl<E> Gather<E> {
    /// An empty collection.
    pub fn new() -> Self {
        Self::default()
    }

    /// The value of a field that parsed; the error kept otherwise.
    pub fn take<T>(&mut self, result: Result<T, E>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(error) => {
                self.errors.push(error);
                None
            }
        }
    }

    /// Like [`Gather::take`] for a parser that reports several errors.
    pub fn take_all<T>(&mut self, result: Result<T, Errors<E>>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(errors) => {
                self.errors.extend(errors.into_vec());
                None
            }
        }
    }

    /// Records an error found by a rule across fields.
    pub fn push(&mut self, error: E) {
        self.errors.push(error);
    }

    /// Whether nothing was wrong so far.
    pub fn is_clean(&self) -> bool {
        self.errors.is_empty()
    }

    /// `Ok` when nothing was wrong, otherwise every error.
    pub fn finish(self) -> Result<(), Errors<E>> {
        let mut errors = self.errors.into_iter();
        match errors.next() {
            None => Ok(()),
            Some(first) => Err(Errors {
                first,
                rest: errors.collect(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_is_kept_in_the_order_it_was_found() {
        let mut gather: Gather<&str> = Gather::new();
        assert_eq!(gather.take(Ok::<_, &str>(1)), Some(1));
        assert_eq!(gather.take(Err::<i32, _>("title")), None);
        gather.push("capacity");
        let errors = gather.finish().expect_err("two errors");
        assert_eq!(errors.len(), 2);
        assert_eq!(errors.into_vec(), vec!["title", "capacity"]);
    }

    #[test]
    fn a_clean_form_finishes_without_errors() {
        let mut gather: Gather<&str> = Gather::new();
        assert_eq!(gather.take(Ok::<_, &str>(7)), Some(7));
        assert!(gather.is_clean());
        assert!(gather.finish().is_ok());
    }
}
