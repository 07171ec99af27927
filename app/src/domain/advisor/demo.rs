//! Deterministic, clearly fictitious advisor profiles for the demo and benchmarks:
//! the same seed and index always give the same profile.

use super::{AdvisorDraft, ItssLevel, Kana, Mode, YearMonth};

/// A bank's vocabularies and places, as `(code, label)`: what profiles are
/// checked against, drawn from (demo) and written with (CSV).
#[derive(Debug, Clone, Default)]
pub struct BankVocabulary {
    /// 人材像.
    pub jinzaizo: Vec<(String, String)>,
    /// Roles.
    pub roles: Vec<(String, String)>,
    /// Specialties.
    pub specialties: Vec<(String, String)>,
    /// Qualifications.
    pub qualifications: Vec<(String, String)>,
    /// Programmes.
    pub programmes: Vec<(String, String)>,
    /// Engagement forms.
    pub engagements: Vec<(String, String)>,
    /// Municipalities `(code, name)` of the prefecture.
    pub municipalities: Vec<(String, String)>,
    /// Region ids of the prefecture.
    pub regions: Vec<i32>,
    /// Region `(id, name)` of the prefecture.
    pub region_names: Vec<(i32, String)>,
}

const FAMILY: [(&str, &str); 20] = [
    ("佐藤", "サトウ"),
    ("鈴木", "スズキ"),
    ("高橋", "タカハシ"),
    ("田中", "タナカ"),
    ("伊藤", "イトウ"),
    ("渡辺", "ワタナベ"),
    ("山本", "ヤマモト"),
    ("中村", "ナカムラ"),
    ("小林", "コバヤシ"),
    ("加藤", "カトウ"),
    ("吉田", "ヨシダ"),
    ("山田", "ヤマダ"),
    ("佐々木", "ササキ"),
    ("山口", "ヤマグチ"),
    ("松本", "マツモト"),
    ("井上", "イノウエ"),
    ("木村", "キムラ"),
    ("林", "ハヤシ"),
    ("清水", "シミズ"),
    ("森", "モリ"),
];

const GIVEN: [(&str, &str); 16] = [
    ("陽子", "ヨウコ"),
    ("健一", "ケンイチ"),
    ("美咲", "ミサキ"),
    ("大輔", "ダイスケ"),
    ("直樹", "ナオキ"),
    ("恵", "メグミ"),
    ("誠", "マコト"),
    ("由美", "ユミ"),
    ("翔太", "ショウタ"),
    ("彩", "アヤ"),
    ("浩二", "コウジ"),
    ("真由美", "マユミ"),
    ("拓也", "タクヤ"),
    ("智子", "トモコ"),
    ("隆", "タカシ"),
    ("沙織", "サオリ"),
];

const COMPANIES: [&str; 6] = [
    "架空データ工房株式会社",
    "サンプル情報システム株式会社",
    "例示コンサルティング合同会社",
    "デモクラウド株式会社",
    "架空大学 情報学部",
    "サンプル工業大学 地域連携センター",
];

const TOPICS: [&str; 8] = [
    "窓口業務の見直し",
    "基幹業務システムの標準化",
    "庁内ネットワークの更改",
    "オープンデータの公開",
    "電子申請の導入",
    "職員向けの研修",
    "情報セキュリティポリシーの改定",
    "業務フローの可視化",
];

/// splitmix64: small, fast, and the same on every platform.
struct Rng(u64);

impl Rng {
    fn new(seed: u64, index: u64) -> Self {
        Self(seed ^ index.wrapping_mul(0x9E37_79B9_7F4A_7C15))
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            usize::try_from(self.next() % n as u64).unwrap_or(0)
        }
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    /// Between `min` and `max` distinct items of `from`, in `from` order.
    fn pick_between<'a, T>(&mut self, from: &'a [T], min: usize, max: usize) -> Vec<&'a T> {
        let count = min + self.below(max - min + 1);
        self.pick(from, count)
    }

    /// `count` distinct items of `from` (fewer when `from` is shorter), in `from` order.
    fn pick<'a, T>(&mut self, from: &'a [T], count: usize) -> Vec<&'a T> {
        let mut chosen: Vec<usize> = Vec::new();
        while chosen.len() < count.min(from.len()) {
            let i = self.below(from.len());
            if !chosen.contains(&i) {
                chosen.push(i);
            }
        }
        chosen.sort_unstable();
        chosen.into_iter().filter_map(|i| from.get(i)).collect()
    }
}

/// How many distinct names the lists make.
const NAMES: u64 = (FAMILY.len() * GIVEN.len()) as u64;

/// Coprime with [`NAMES`]: stepping by it visits every name once per round.
const NAME_STEP: u64 = 123;

/// The name of the `index`-th advisor of `seed`: no two of [`NAMES`] consecutive
/// indices share a name, and consecutive seeds (the demo's two banks) start half
/// the lists apart, so a bank of up to half of them repeats no name of the other.
fn demo_name(
    seed: u64,
    index: u64,
) -> ((&'static str, &'static str), (&'static str, &'static str)) {
    let shifted = index.wrapping_add(seed.wrapping_mul(NAMES / 2)) % NAMES;
    let slot = usize::try_from(shifted * NAME_STEP % NAMES).unwrap_or(0);
    (
        FAMILY[slot / GIVEN.len() % FAMILY.len()],
        GIVEN[slot % GIVEN.len()],
    )
}

/// The `index`-th demo advisor of `seed`, starting availability in `first_month`.
// Long: one generated value per field of a profile, in the order of the form.
pub fn demo_advisor(
    vocabulary: &BankVocabulary,
    seed: u64,
    index: u64,
    first_month: YearMonth,
) -> AdvisorDraft {
    let mut rng = Rng::new(seed, index);
    // Two draws kept so that the other fields stay those of earlier releases.
    let _ = (rng.below(FAMILY.len()), rng.below(GIVEN.len()));
    let ((family, family_kana), (given, given_kana)) = demo_name(seed, index);
    let engagement = vocabulary
        .engagements
        .get(rng.below(vocabulary.engagements.len()))
        .cloned()
        .unwrap_or_default();
    let affiliation = match engagement.0.as_str() {
        "pref_staff" => "県 デジタル戦略課".to_owned(),
        "muni_staff" => vocabulary
            .municipalities
            .get(rng.below(vocabulary.municipalities.len()))
            .map_or_else(
                || "市町村".to_owned(),
                |(_, name)| format!("{name} 情報政策課"),
            ),
        _ => COMPANIES[rng.below(COMPANIES.len())].to_owned(),
    };
    let jinzaizo = vocabulary
        .jinzaizo
        .get(rng.below(vocabulary.jinzaizo.len()))
        .cloned()
        .unwrap_or_default();
    let roles: Vec<String> = rng
        .pick_between(&vocabulary.roles, 1, 3)
        .into_iter()
        .map(|(c, _)| c.clone())
        .collect();
    let specialties = rng.pick_between(&vocabulary.specialties, 1, 4);
    let qualifications: Vec<(String, Option<u16>)> = rng
        .pick_between(&vocabulary.qualifications, 0, 3)
        .into_iter()
        .map(|(c, _)| {
            let year = 2005 + u16::try_from(rng.below(20)).unwrap_or(0);
            (c.clone(), Some(year))
        })
        .collect();
    let programmes: Vec<String> = {
        let mut chosen: Vec<String> = vec!["pref_bank".to_owned()];
        for (code, _) in rng.pick_between(&vocabulary.programmes, 0, 2) {
            if !chosen.contains(code) {
                chosen.push(code.clone());
            }
        }
        chosen.retain(|c| vocabulary.programmes.iter().any(|(p, _)| p == c));
        chosen
    };
    let itss_level = ItssLevel::try_from(2 + u8::try_from(rng.below(5)).unwrap_or(0)).ok();
    let modes = match rng.below(3) {
        0 => vec![Mode::Onsite],
        1 => vec![Mode::Online],
        _ => vec![Mode::Onsite, Mode::Online],
    };
    let whole_prefecture = rng.chance(20);
    let regions: Vec<i32> = if whole_prefecture {
        Vec::new()
    } else {
        rng.pick_between(&vocabulary.regions, 0, 2)
            .into_iter()
            .copied()
            .collect()
    };
    let municipalities: Vec<String> = rng
        .pick_between(&vocabulary.municipalities, 0, 3)
        .into_iter()
        .map(|(c, _)| c.clone())
        .collect();
    let mut months = Vec::new();
    let mut month = first_month;
    for _ in 0..rng.below(6) {
        month = month.next();
    }
    for _ in 0..(3 + rng.below(10)) {
        if rng.chance(80) {
            months.push(month);
        }
        month = month.next();
    }
    let specialty_labels: Vec<&str> = specialties.iter().map(|(_, l)| l.as_str()).collect();
    let topic = TOPICS[rng.below(TOPICS.len())];
    let years = 3 + rng.below(20);
    let bio = format!(
        "{}を専門とする{}です。{}年にわたり自治体の{}に携わってきました。(デモ用の架空の人物です)",
        specialty_labels.join("・"),
        jinzaizo.1,
        years,
        topic
    );
    let track_record = format!(
        "{}の支援 {}件、職員研修の講師 {}回。",
        topic,
        1 + rng.below(30),
        rng.below(15)
    );
    let municipal_knowledge = if engagement.0.ends_with("_staff") || rng.chance(40) {
        "市町村の窓口・基幹業務に精通".to_owned()
    } else {
        "自治体業務は支援を通じて習得中".to_owned()
    };
    AdvisorDraft {
        name: format!("{family} {given}"),
        // The name lists are katakana already (a test parses every entry).
        kana: Kana::from_katakana(format!("{family_kana} {given_kana}")),
        affiliation,
        engagement: engagement.0,
        jinzaizo: jinzaizo.0,
        roles,
        specialties: specialties.into_iter().map(|(c, _)| c.clone()).collect(),
        qualifications,
        programmes,
        itss_level,
        municipal_knowledge,
        bio,
        track_record,
        modes,
        whole_prefecture,
        regions,
        municipalities,
        months,
        contact_email: Some(format!("advisor{index}@bank.renkei.example")),
        contact_phone: Some(format!("0742-00-{:04}", index % 10_000)),
        published: !rng.chance(5),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn vocabulary() -> BankVocabulary {
        let pairs = |items: &[(&str, &str)]| {
            items
                .iter()
                .map(|(c, l)| ((*c).to_owned(), (*l).to_owned()))
                .collect::<Vec<_>>()
        };
        BankVocabulary {
            jinzaizo: pairs(&[
                ("advanced", "高度専門人材"),
                ("dx_leader", "DX推進リーダー"),
            ]),
            roles: pairs(&[("producer", "プロデューサー"), ("engineer", "エンジニア")]),
            specialties: pairs(&[
                ("security", "セキュリティ"),
                ("data", "データ分析・活用"),
                ("rpa", "RPA"),
            ]),
            qualifications: pairs(&[("it_passport", "ITパスポート"), ("riss", "登録セキスペ")]),
            programmes: pairs(&[
                ("pref_bank", "県の人材バンク"),
                ("dx_advisor", "DXアドバイザー"),
            ]),
            engagements: pairs(&[("private", "民間"), ("muni_staff", "市町村職員")]),
            municipalities: pairs(&[("293628", "三宅町"), ("292010", "奈良市")]),
            regions: vec![1, 2],
            region_names: vec![(1, "北和".into()), (2, "中和".into())],
        }
    }

    #[test]
    fn every_name_in_the_lists_is_valid_kana() {
        for (_, kana) in FAMILY.iter().chain(GIVEN.iter()) {
            assert_eq!(Kana::parse(kana).expect("katakana").as_str(), *kana);
        }
    }

    #[test]
    fn the_demo_banks_repeat_no_name_within_or_between_them() {
        let names = |seed: u64| -> Vec<_> { (0..160).map(|i| demo_name(seed, i)).collect() };
        let mut all: Vec<_> = names(2026).into_iter().chain(names(2027)).collect();
        let count = all.len();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), count);
    }

    #[test]
    fn the_same_seed_and_index_give_the_same_profile_and_others_differ() {
        let v = vocabulary();
        let first = YearMonth::parse("2026-12").expect("valid");
        assert_eq!(demo_advisor(&v, 7, 3, first), demo_advisor(&v, 7, 3, first));
        let names: std::collections::HashSet<String> = (0..50)
            .map(|i| demo_advisor(&v, 7, i, first).name)
            .collect();
        assert!(names.len() > 20, "{names:?}");
        assert_ne!(demo_advisor(&v, 7, 3, first), demo_advisor(&v, 8, 3, first));
    }

    #[test]
    fn demo_profiles_are_marked_fictitious_and_use_only_known_codes() {
        let v = vocabulary();
        let first = YearMonth::parse("2026-12").expect("valid");
        for i in 0..200 {
            let a = demo_advisor(&v, 1, i, first);
            assert!(a.bio.contains("架空"), "{}", a.bio);
            assert!(!a.modes.is_empty());
            assert!(!a.roles.is_empty() && !a.specialties.is_empty());
            assert!(
                a.specialties
                    .iter()
                    .all(|s| v.specialties.iter().any(|(c, _)| c == s))
            );
            assert!(a.programmes.contains(&"pref_bank".to_owned()));
            assert!(
                a.contact_email
                    .as_deref()
                    .is_some_and(|e| e.ends_with(".example"))
            );
            assert!(a.months.windows(2).all(|w| w[0] < w[1]));
        }
    }
}
