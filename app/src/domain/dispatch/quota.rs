//! A programme's quota rules per municipality per 年度, and what is left of them.
//! Hours are kept in whole minutes; the JSON and the pages speak hours.
//!
//! JFM DXアドバイザー: 年間原則5回以内・2時間以上/回 ([`QuotaRule::MaxDispatches`] 5 and
//! [`QuotaRule::HoursPerDispatch`] from 2 hours). 総務省 地域情報化アドバイザー:
//! 現地派遣を含む支援は年間3回まで、オンライン会議のみなら合計10時間
//! ([`QuotaRule::OnsiteOrOnline`] 3 / 10 hours).

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::DispatchMode;

/// A length of time in whole minutes, written as hours (`1.5`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Hours(pub u32);

/// Longest dispatch or quota, in hours (a year of working days, far beyond any rule).
pub const MAX_HOURS: f64 = 2000.0;

impl Hours {
    /// Whole hours.
    pub fn whole(h: u32) -> Self {
        Self(h.saturating_mul(60))
    }

    /// `hours` rounded to the minute, if it is a number from 0 to [`MAX_HOURS`].
    pub fn from_hours(hours: f64) -> Option<Self> {
        (hours.is_finite() && (0.0..=MAX_HOURS).contains(&hours))
            // In range, so the cast neither truncates nor wraps.
            .then(|| Self((hours * 60.0).round() as u32))
    }

    /// As hours.
    pub fn as_hours(self) -> f64 {
        f64::from(self.0) / 60.0
    }

    /// 「2時間」, 「1.5時間」, 「0時間」.
    pub fn label(self) -> String {
        let (whole, rest) = (self.0 / 60, self.0 % 60);
        if rest == 0 {
            format!("{whole}時間")
        } else {
            format!("{}時間", (self.as_hours() * 100.0).round() / 100.0)
        }
    }
}

impl Serialize for Hours {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_f64(self.as_hours())
    }
}

impl<'de> Deserialize<'de> for Hours {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let hours = f64::deserialize(deserializer)?;
        Self::from_hours(hours)
            .ok_or_else(|| serde::de::Error::custom(format!("hours must be from 0 to {MAX_HOURS}")))
    }
}

/// One rule of a programme, per municipality per 年度.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum QuotaRule {
    /// At most `count` dispatches.
    MaxDispatches {
        /// Dispatches a year.
        count: u32,
    },
    /// Each dispatch lasts at least `min` and at most `max`.
    HoursPerDispatch {
        /// Shortest dispatch.
        #[serde(default)]
        min: Option<Hours>,
        /// Longest dispatch.
        #[serde(default)]
        max: Option<Hours>,
    },
    /// At most `hours` in total.
    MaxTotalHours {
        /// Hours a year.
        hours: Hours,
    },
    /// Support that includes an on-site dispatch: at most `onsite` dispatches (of
    /// any mode); online-only support: at most `online` hours in total.
    OnsiteOrOnline {
        /// Dispatches a year once one is on site.
        onsite: u32,
        /// Hours a year while all are online.
        online: Hours,
    },
}

impl QuotaRule {
    /// The rule in words, for pages and refusals.
    pub fn describe(&self) -> String {
        match self {
            Self::MaxDispatches { count } => format!("年度内{count}回まで"),
            Self::HoursPerDispatch { min, max } => match (min, max) {
                (Some(min), Some(max)) => format!("1回{}以上{}以内", min.label(), max.label()),
                (Some(min), None) => format!("1回{}以上", min.label()),
                (None, Some(max)) => format!("1回{}以内", max.label()),
                (None, None) => "1回の時間に定めなし".into(),
            },
            Self::MaxTotalHours { hours } => format!("年度内合計{}まで", hours.label()),
            Self::OnsiteOrOnline { onsite, online } => format!(
                "現地派遣を含む支援は年度内{onsite}回まで、オンラインのみなら合計{}まで",
                online.label()
            ),
        }
    }

    /// Stable name of the kind (JSON `kind`, the `rule` of a 409).
    pub fn kind(&self) -> &'static str {
        match self {
            Self::MaxDispatches { .. } => "max_dispatches",
            Self::HoursPerDispatch { .. } => "hours_per_dispatch",
            Self::MaxTotalHours { .. } => "max_total_hours",
            Self::OnsiteOrOnline { .. } => "onsite_or_online",
        }
    }
}

/// One dispatch as a quota counts it: its mode and its hours (the reported ones
/// once reported, the scheduled ones before).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counted {
    /// On site or online.
    pub mode: DispatchMode,
    /// Its length.
    pub hours: Hours,
}

/// What a town has used of a programme in a 年度.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Usage {
    /// Dispatches.
    pub count: u32,
    /// Hours in total.
    pub hours: Hours,
    /// Dispatches on site.
    pub onsite: u32,
    /// Hours of the online dispatches.
    pub online_hours: Hours,
}

impl Usage {
    /// The usage of these dispatches.
    pub fn of(dispatches: &[Counted]) -> Self {
        dispatches
            .iter()
            .fold(Self::default(), |usage, d| usage.with(*d))
    }

    /// This usage and one more dispatch.
    #[must_use]
    pub fn with(self, d: Counted) -> Self {
        let online = d.mode == DispatchMode::Online;
        Self {
            count: self.count.saturating_add(1),
            hours: Hours(self.hours.0.saturating_add(d.hours.0)),
            onsite: self.onsite.saturating_add(u32::from(!online)),
            online_hours: Hours(self.online_hours.0.saturating_add(if online {
                d.hours.0
            } else {
                0
            })),
        }
    }
}

/// A rule a dispatch would break.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Breach {
    /// The rule.
    pub rule: QuotaRule,
    /// Japanese message naming the rule and the figures.
    pub message: String,
}

/// Whether `candidate` may be added to a town's `used` dispatches under `rules`:
/// the first rule it would break, if any.
pub fn admits(rules: &[QuotaRule], used: Usage, candidate: Counted) -> Result<(), Breach> {
    let after = used.with(candidate);
    let breach = |rule: &QuotaRule, why: String| Breach {
        rule: *rule,
        message: format!("「{}」の上限を超えます({why})。", rule.describe()),
    };
    for rule in rules {
        match *rule {
            QuotaRule::MaxDispatches { count } if after.count > count => {
                return Err(breach(rule, format!("今年度は{}回派遣済み", used.count)));
            }
            QuotaRule::HoursPerDispatch { min, max }
                if min.is_some_and(|m| candidate.hours < m)
                    || max.is_some_and(|m| candidate.hours > m) =>
            {
                return Err(Breach {
                    rule: *rule,
                    message: format!(
                        "1回の時間が「{}」に合いません({})。",
                        rule.describe(),
                        candidate.hours.label()
                    ),
                });
            }
            QuotaRule::MaxTotalHours { hours } if after.hours > hours => {
                return Err(breach(
                    rule,
                    format!("今年度は{}使用済み", used.hours.label()),
                ));
            }
            QuotaRule::OnsiteOrOnline { onsite, online } => {
                if after.onsite > 0 && after.count > onsite {
                    return Err(breach(
                        rule,
                        format!("現地派遣を含めて今年度は{}回目になります", after.count),
                    ));
                }
                if after.onsite == 0 && after.online_hours > online {
                    return Err(breach(
                        rule,
                        format!("オンラインで今年度{}使用済み", used.online_hours.label()),
                    ));
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// What is left of a programme for a town, for the request form and the quota page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Remaining {
    /// Dispatches left (any mode), when a rule counts them.
    pub count: Option<u32>,
    /// Hours left, when a rule counts them.
    pub hours: Option<Hours>,
    /// On-site dispatches left under an on-site-or-online rule.
    pub onsite: Option<u32>,
    /// Online-only hours left under an on-site-or-online rule (none once one
    /// dispatch was on site).
    pub online_hours: Option<Hours>,
}

/// The tightest of each kind of limit left by `rules` after `used`.
pub fn remaining(rules: &[QuotaRule], used: Usage) -> Remaining {
    let tighter_count = |a: Option<u32>, b: u32| Some(a.map_or(b, |a| a.min(b)));
    let mut left = Remaining::default();
    for rule in rules {
        match *rule {
            QuotaRule::MaxDispatches { count } => {
                left.count = tighter_count(left.count, count.saturating_sub(used.count));
            }
            QuotaRule::MaxTotalHours { hours } => {
                let rest = Hours(hours.0.saturating_sub(used.hours.0));
                left.hours = Some(left.hours.map_or(rest, |h| h.min(rest)));
            }
            QuotaRule::OnsiteOrOnline { onsite, online } => {
                left.onsite = Some(onsite.saturating_sub(used.count));
                left.online_hours = Some(if used.onsite > 0 {
                    Hours(0)
                } else {
                    Hours(online.0.saturating_sub(used.online_hours.0))
                });
            }
            QuotaRule::HoursPerDispatch { .. } => {}
        }
    }
    left
}

/// The two national programmes every prefecture starts with: `(code, name,
/// rules)`.
pub fn national_programmes() -> [(&'static str, &'static str, Vec<QuotaRule>); 2] {
    [
        (
            "jfm_dx_advisor",
            "DXアドバイザー派遣(地方公共団体金融機構)",
            vec![
                QuotaRule::MaxDispatches { count: 5 },
                QuotaRule::HoursPerDispatch {
                    min: Some(Hours::whole(2)),
                    max: None,
                },
            ],
        ),
        (
            "soumu_chiiki_johoka",
            "地域情報化アドバイザー派遣(総務省)",
            vec![QuotaRule::OnsiteOrOnline {
                onsite: 3,
                online: Hours::whole(10),
            }],
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn online(h: u32) -> Counted {
        Counted {
            mode: DispatchMode::Online,
            hours: Hours::whole(h),
        }
    }
    fn onsite(h: u32) -> Counted {
        Counted {
            mode: DispatchMode::Onsite,
            hours: Hours::whole(h),
        }
    }

    #[test]
    fn the_dx_advisor_programme_allows_five_dispatches_of_two_hours_or_more() {
        let rules = &national_programmes()[0].2;
        let used = Usage::of(&[onsite(2), onsite(3), online(2), onsite(2)]);
        assert!(admits(rules, used, onsite(2)).is_ok(), "the fifth");
        let sixth = admits(rules, used.with(onsite(2)), onsite(2)).expect_err("sixth");
        assert_eq!(sixth.rule.kind(), "max_dispatches");
        assert!(sixth.message.contains("5回"), "{}", sixth.message);
        let short = admits(rules, Usage::default(), online(1)).expect_err("short");
        assert_eq!(short.rule.kind(), "hours_per_dispatch");
        assert_eq!(remaining(rules, used).count, Some(1));
    }

    #[test]
    fn online_only_support_stops_at_ten_hours_and_on_site_support_at_three_dispatches() {
        let rules = &national_programmes()[1].2;
        let used = Usage::of(&[online(4), online(4)]);
        assert!(admits(rules, used, online(2)).is_ok(), "exactly ten hours");
        let over = admits(rules, used, online(3)).expect_err("eleven hours");
        assert_eq!(over.rule.kind(), "onsite_or_online");
        assert!(
            admits(rules, used, onsite(2)).is_ok(),
            "an on-site visit makes it the third dispatch"
        );
        let with_visit = used.with(onsite(2));
        assert!(admits(rules, with_visit, online(1)).is_err(), "a fourth");
        assert_eq!(remaining(rules, with_visit).online_hours, Some(Hours(0)));
        assert_eq!(remaining(rules, used).online_hours, Some(Hours::whole(2)));
    }

    #[test]
    fn hours_travel_as_hours_and_are_kept_in_minutes() {
        let rule: QuotaRule =
            serde_json::from_str(r#"{"kind":"hours_per_dispatch","min":1.5}"#).expect("json");
        assert_eq!(
            rule,
            QuotaRule::HoursPerDispatch {
                min: Some(Hours(90)),
                max: None
            }
        );
        assert_eq!(
            serde_json::to_string(&rule).expect("json"),
            r#"{"kind":"hours_per_dispatch","min":1.5,"max":null}"#
        );
        assert!(serde_json::from_str::<Hours>("-1").is_err());
        assert_eq!(Hours(90).label(), "1.5時間");
    }

    fn rule() -> impl Strategy<Value = QuotaRule> {
        prop_oneof![
            (0u32..8).prop_map(|count| QuotaRule::MaxDispatches { count }),
            (0u32..1200).prop_map(|m| QuotaRule::MaxTotalHours { hours: Hours(m) }),
            (0u32..6, 0u32..1200).prop_map(|(onsite, m)| QuotaRule::OnsiteOrOnline {
                onsite,
                online: Hours(m)
            }),
            (0u32..240, 0u32..480).prop_map(|(a, b)| QuotaRule::HoursPerDispatch {
                min: Some(Hours(a.min(b))),
                max: Some(Hours(a.max(b)))
            }),
        ]
    }

    fn dispatch() -> impl Strategy<Value = Counted> {
        (any::<bool>(), 0u32..300).prop_map(|(on_site, minutes)| Counted {
            mode: if on_site {
                DispatchMode::Onsite
            } else {
                DispatchMode::Online
            },
            hours: Hours(minutes),
        })
    }

    proptest! {
        #[test]
        fn approving_only_what_is_admitted_never_overruns_a_rule(
            rules in prop::collection::vec(rule(), 0..4),
            requests in prop::collection::vec(dispatch(), 0..30),
        ) {
            let mut used = Usage::default();
            for request in requests {
                if admits(&rules, used, request).is_ok() {
                    used = used.with(request);
                }
            }
            for rule in &rules {
                match *rule {
                    QuotaRule::MaxDispatches { count } => prop_assert!(used.count <= count),
                    QuotaRule::MaxTotalHours { hours } => prop_assert!(used.hours <= hours),
                    QuotaRule::OnsiteOrOnline { onsite, online } => {
                        let within = if used.onsite > 0 {
                            used.count <= onsite
                        } else {
                            used.online_hours <= online
                        };
                        prop_assert!(within);
                    }
                    QuotaRule::HoursPerDispatch { .. } => {}
                }
            }
        }

        #[test]
        fn what_remains_is_what_the_rules_still_admit(
            count in 0u32..8,
            requests in prop::collection::vec(dispatch(), 0..12),
        ) {
            let rules = [QuotaRule::MaxDispatches { count }];
            let used = Usage::of(&requests);
            let left = remaining(&rules, used).count.expect("counted");
            prop_assert_eq!(left, count.saturating_sub(used.count));
            let next = Counted { mode: DispatchMode::Online, hours: Hours(60) };
            prop_assert_eq!(admits(&rules, used, next).is_ok(), left > 0);
        }
    }
}
