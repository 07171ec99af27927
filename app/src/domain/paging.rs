//! Page arithmetic for lists.

use serde::{Deserialize, Serialize};

/// One page of a list: which page, how many per page, and how many in all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paging {
    /// 1-based page number, always within `1..=total_pages()`.
    pub page: u32,
    /// Items per page, at least 1.
    pub per_page: u32,
    /// Items in the whole list.
    pub total: u64,
}

impl Paging {
    /// Builds the paging for `total` items, clamping `requested` into range.
    /// Returns whether the request had to be clamped.
    pub fn clamp(requested: u32, per_page: u32, total: u64) -> (Self, bool) {
        let per_page = per_page.max(1);
        let mut paging = Self {
            page: 1,
            per_page,
            total,
        };
        let last = paging.total_pages();
        paging.page = requested.clamp(1, last);
        (paging, paging.page != requested)
    }

    /// Number of pages; an empty list still has one (empty) page.
    pub fn total_pages(&self) -> u32 {
        let pages = self.total.div_ceil(u64::from(self.per_page)).max(1);
        u32::try_from(pages).unwrap_or(u32::MAX)
    }

    /// Items to skip before this page.
    pub fn offset(&self) -> u64 {
        u64::from(self.page - 1) * u64::from(self.per_page)
    }

    /// 1-based index of the first and last item shown, or `None` for an empty list.
    pub fn shown_range(&self) -> Option<(u64, u64)> {
        if self.total == 0 {
            return None;
        }
        let first = self.offset() + 1;
        let last = (self.offset() + u64::from(self.per_page)).min(self.total);
        Some((first, last))
    }
}

/// The page numbers a page-navigation shows: the first, the last and two either
/// side of `page`; `None` stands for the gap between them ("…"). Thousands of
/// pages (a bank of 100,000 advisors) stay a handful of links.
pub fn page_links(page: u32, total_pages: u32) -> Vec<Option<u32>> {
    let mut links = Vec::new();
    let mut last_shown = 0;
    for n in 1..=total_pages {
        let near = n.abs_diff(page) <= 2;
        if n == 1 || n == total_pages || near {
            if n > last_shown + 1 {
                links.push(None);
            }
            links.push(Some(n));
            last_shown = n;
        }
        if n > page + 2 && n < total_pages {
            if total_pages > last_shown + 1 {
                links.push(None);
            }
            links.push(Some(total_pages));
            break;
        }
    }
    links
}

#[cfg(test)]
mod tests {
    #[test]
    fn page_links_keep_the_ends_and_the_neighbourhood_with_gaps() {
        assert_eq!(super::page_links(1, 1), [Some(1)]);
        assert_eq!(
            super::page_links(2, 4),
            [Some(1), Some(2), Some(3), Some(4)]
        );
        assert_eq!(
            super::page_links(50, 5000),
            [
                Some(1),
                None,
                Some(48),
                Some(49),
                Some(50),
                Some(51),
                Some(52),
                None,
                Some(5000)
            ]
        );
        assert_eq!(
            super::page_links(1, 5000),
            [Some(1), Some(2), Some(3), None, Some(5000)]
        );
        assert_eq!(
            super::page_links(5000, 5000),
            [Some(1), None, Some(4998), Some(4999), Some(5000)]
        );
    }

    use super::*;
    use proptest::prelude::*;

    #[test]
    fn thirty_nine_cases_at_twenty_a_page_make_two_pages() {
        let (paging, clamped) = Paging::clamp(2, 20, 39);
        assert!(!clamped);
        assert_eq!(paging.total_pages(), 2);
        assert_eq!(paging.offset(), 20);
        assert_eq!(paging.shown_range(), Some((21, 39)));
    }

    #[test]
    fn a_page_past_the_end_is_clamped_to_the_last_page() {
        let (paging, clamped) = Paging::clamp(9, 20, 39);
        assert!(clamped);
        assert_eq!(paging.page, 2);
    }

    #[test]
    fn an_empty_list_has_one_empty_page() {
        let (paging, _) = Paging::clamp(1, 20, 0);
        assert_eq!(paging.total_pages(), 1);
        assert_eq!(paging.shown_range(), None);
    }

    proptest! {
        #[test]
        fn pages_cover_every_item_exactly_once(total in 0u64..500, per_page in 1u32..50) {
            let (first, _) = Paging::clamp(1, per_page, total);
            let mut seen = 0u64;
            for page in 1..=first.total_pages() {
                let (p, clamped) = Paging::clamp(page, per_page, total);
                prop_assert!(!clamped);
                if let Some((a, b)) = p.shown_range() {
                    prop_assert_eq!(a, seen + 1);
                    seen = b;
                }
            }
            prop_assert_eq!(seen, total);
        }
    }
}
