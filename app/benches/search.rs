//! Search benchmark: the same synthetic Japanese documents and queries through
//! Renkei's tantivy index, SQLite FTS5 with the trigram tokenizer, and a plain
//! `LIKE '%…%'` scan. Prints index build time, index size and query latency.
//!
//! Run: `cargo bench -p app --features ssr --bench search` (sizes: `-- 1000 10000`).

#![expect(clippy::print_stdout, reason = "a benchmark prints its table")]

use std::path::Path;
use std::time::{Duration, Instant};

use app::domain::search_query::SearchQuery;
use app::search::{SearchDoc, SearchIndex, SearchRequest, SortOrder, SynonymStore};
use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sea_orm::sqlx::{ConnectOptions, Connection, Executor, Row, SqliteConnection};

/// Deterministic generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

const PLACES: &[&str] = &[
    "奈良県",
    "高知県",
    "新潟県",
    "北海道",
    "千葉県",
    "静岡県",
    "福岡県",
    "熊本県",
    "三宅町",
    "奈良市",
    "高知市",
    "札幌市",
    "横浜市",
    "品川区",
    "掛川市",
    "江津市",
    "井原市",
    "笠間市",
    "大月市",
    "苅田町",
];
/// Two-character words of administrative Japanese; terms are built from pairs.
const KANJI: &[&str] = &[
    "人材", "育成", "研修", "計画", "支援", "推進", "管理", "調査", "評価", "制度", "改革", "業務",
    "情報", "地域", "行政", "住民", "職員", "窓口", "電子", "申請", "会議", "予算", "事業", "政策",
    "組織", "体制", "連携", "協議", "広域", "共同", "防災", "福祉", "教育", "保健", "税務", "財政",
    "契約", "施設", "環境", "観光", "農業", "交通", "医療", "介護", "選挙", "統計", "文書", "監査",
    "公開", "相談", "手続", "通知", "点検", "訓練", "診断", "基盤", "整備", "運用", "開発", "導入",
    "活用", "分析", "共有", "保護", "対策", "戦略", "目標", "指標", "成果", "課題", "改善", "効率",
    "標準", "移行", "検証", "設計", "構築", "保守", "採用", "人事",
];
const KATAKANA: &[&str] = &[
    "デジタル",
    "クラウド",
    "システム",
    "データ",
    "セキュリティ",
    "アドバイザー",
    "ワークショップ",
    "オンライン",
    "プラットフォーム",
    "マネジメント",
    "スキル",
    "キャリア",
    "チャット",
    "ネットワーク",
    "サービス",
    "アプリ",
    "ポータル",
    "テレワーク",
    "ペーパーレス",
    "アンケート",
    "ガイドライン",
    "ロードマップ",
    "プロジェクト",
    "リーダー",
    "ヘルプデスク",
    "モデル",
    "ツール",
    "ライセンス",
];
const VERBS: &[&str] = &[
    "を推進する",
    "を実施した",
    "に取り組む",
    "を支援している",
    "を導入した",
    "を検討する",
    "を見直した",
    "を共有する",
    "を強化する",
    "に参加した",
    "を策定した",
    "を活用している",
];
const LINKS: &[&str] = &["と", "の", "による", "に向けた", "を通じた", "における"];

/// A vocabulary of compound terms (人材育成, デジタル研修, …) drawn with
/// Zipf–Mandelbrot frequencies 1/(rank + 2.7)^1.07, the classic fit for words in
/// running text: a few very common, most rare.
struct Vocabulary {
    terms: Vec<String>,
    cumulative: Vec<f64>,
}

impl Vocabulary {
    fn new(rng: &mut Rng) -> Self {
        let mut terms: Vec<String> = Vec::new();
        for first in KANJI.iter().chain(KATAKANA) {
            for second in KANJI {
                if first != second {
                    terms.push(format!("{first}{second}"));
                }
            }
        }
        // Shuffle (Fisher–Yates) so frequency does not follow the construction order.
        for i in (1..terms.len()).rev() {
            let j = (rng.next() % (i as u64 + 1)) as usize;
            terms.swap(i, j);
        }
        let mut total = 0.0;
        let cumulative = (1..=terms.len())
            .map(|rank| {
                total += 1.0 / (rank as f64 + 2.7).powf(1.07);
                total
            })
            .collect();
        Self { terms, cumulative }
    }

    fn draw(&self, rng: &mut Rng) -> &str {
        let total = self.cumulative.last().copied().unwrap_or(1.0);
        let target = (rng.next() % 1_000_000) as f64 / 1_000_000.0 * total;
        let i = self.cumulative.partition_point(|c| *c < target);
        &self.terms[i.min(self.terms.len() - 1)]
    }
}

fn sentence(rng: &mut Rng, vocabulary: &Vocabulary) -> String {
    let place = rng.pick(PLACES);
    let link = rng.pick(LINKS);
    let first = vocabulary.draw(rng).to_owned();
    let link2 = rng.pick(LINKS);
    let second = vocabulary.draw(rng).to_owned();
    let verb = rng.pick(VERBS);
    format!("{place}{link}{first}{link2}{second}{verb}。")
}

fn documents(n: usize, vocabulary: &Vocabulary) -> Vec<SearchDoc> {
    let mut rng = Rng(42);
    (0..n)
        .map(|i| {
            let title = format!(
                "{}{}{}",
                vocabulary.draw(&mut rng),
                rng.pick(LINKS),
                vocabulary.draw(&mut rng)
            );
            let summary: String = (0..4).map(|_| sentence(&mut rng, vocabulary)).collect();
            let points: String = (0..3)
                .map(|_| sentence(&mut rng, vocabulary))
                .collect::<Vec<_>>()
                .join("\n");
            SearchDoc {
                kind: "bench",
                id: i.to_string(),
                order: i as u64,
                recency: 0,
                title,
                org: rng.pick(PLACES).to_owned(),
                summary,
                points,
                body: sentence(&mut rng, vocabulary),
                facets: vec![],
                card: String::new(),
            }
        })
        .collect()
}

/// Two-word queries drawn from the same frequencies as the text (so common words
/// are asked for more often); every term has at least three characters, which
/// FTS5's trigram tokenizer needs.
fn queries(count: usize, vocabulary: &Vocabulary) -> Vec<(String, String)> {
    let mut rng = Rng(7);
    (0..count)
        .map(|_| {
            let a = vocabulary.draw(&mut rng).to_owned();
            let mut b = vocabulary.draw(&mut rng).to_owned();
            while b == a {
                b = vocabulary.draw(&mut rng).to_owned();
            }
            (a, b)
        })
        .collect()
}

fn dir_size(path: &Path) -> u64 {
    std::fs::read_dir(path)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.metadata().map(|m| m.len()).unwrap_or(0))
                .sum()
        })
        .unwrap_or(0)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

struct Row3 {
    engine: &'static str,
    n: usize,
    build: Duration,
    size: u64,
    p50: Duration,
    p99: Duration,
    hits: u64,
}

fn time_queries(
    mut run: impl FnMut(&str, &str) -> u64,
    qs: &[(String, String)],
) -> (Duration, Duration, u64) {
    for (a, b) in qs.iter().take(20) {
        run(a, b);
    }
    let mut times = Vec::with_capacity(qs.len());
    let mut hits = 0;
    for (a, b) in qs {
        let start = Instant::now();
        hits += run(a, b);
        times.push(start.elapsed());
    }
    times.sort();
    (percentile(&times, 0.5), percentile(&times, 0.99), hits)
}

/// Builds the index once, then times the AND search (what FTS5 and LIKE are asked)
/// and the product search (AND, then OR of the loosened words when nothing has both).
fn bench_tantivy(n: usize, docs: &[SearchDoc], qs: &[(String, String)], dir: &Path) -> [Row3; 2] {
    let path = dir.join("tantivy");
    let (index, _) = SearchIndex::open(&path, SynonymStore::builtin()).expect("open index");
    let start = Instant::now();
    index
        .replace_kind("bench", docs.to_vec(), |_| {})
        .expect("index documents");
    let build = start.elapsed();
    let size = dir_size(&path);
    let run = |fallback: bool| {
        time_queries(
            |a, b| {
                let request = SearchRequest {
                    readable: None,
                    kind: "bench",
                    query: SearchQuery::parse(&format!("{a} {b}")),
                    filters: vec![],
                    facet_dimensions: vec![],
                    offset: 0,
                    limit: 20,
                    sort: SortOrder::Relevance,
                    fallback,
                    highlight: true,
                    probes: Vec::new(),
                };
                index.search(&request).expect("search").total as u64
            },
            qs,
        )
    };
    let (p50, p99, hits) = run(false);
    let strict = Row3 {
        engine: "tantivy (Renkei), AND",
        n,
        build,
        size,
        p50,
        p99,
        hits,
    };
    let (p50, p99, hits) = run(true);
    let product = Row3 {
        engine: "tantivy (Renkei), AND then OR fallback",
        n,
        build,
        size,
        p50,
        p99,
        hits,
    };
    [strict, product]
}

async fn sqlite(path: &Path) -> SqliteConnection {
    SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .connect()
        .await
        .expect("sqlite")
}

fn bench_sqlite(
    n: usize,
    docs: &[SearchDoc],
    qs: &[(String, String)],
    dir: &Path,
    fts: bool,
    rt: &tokio::runtime::Runtime,
) -> Row3 {
    let path = dir.join(if fts { "fts.db" } else { "like.db" });
    let mut conn = rt.block_on(sqlite(&path));
    let create = if fts {
        "CREATE VIRTUAL TABLE docs USING fts5(title, org, summary, points, body, tokenize='trigram')"
    } else {
        "CREATE TABLE docs (id INTEGER PRIMARY KEY, title TEXT, org TEXT, summary TEXT, points TEXT, body TEXT)"
    };
    let start = Instant::now();
    rt.block_on(async {
        conn.execute(create).await.expect("create");
        let mut tx = conn.begin().await.expect("begin");
        for d in docs {
            sea_orm::sqlx::query(
                "INSERT INTO docs (title, org, summary, points, body) VALUES (?, ?, ?, ?, ?)",
            )
            .bind(&d.title)
            .bind(&d.org)
            .bind(&d.summary)
            .bind(&d.points)
            .bind(&d.body)
            .execute(&mut *tx)
            .await
            .expect("insert");
        }
        tx.commit().await.expect("commit");
    });
    let build = start.elapsed();
    rt.block_on(conn.execute("PRAGMA wal_checkpoint(TRUNCATE)"))
        .expect("checkpoint");
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);

    let (p50, p99, hits) = time_queries(
        |a, b| {
            rt.block_on(async {
                let (count_sql, top_sql, args): (&str, &str, Vec<String>) = if fts {
                    (
                        "SELECT count(*) FROM docs WHERE docs MATCH ?",
                        "SELECT rowid, title FROM docs WHERE docs MATCH ? ORDER BY rank LIMIT 20",
                        vec![format!("\"{a}\" \"{b}\"")],
                    )
                } else {
                    (
                        "SELECT count(*) FROM docs WHERE (title || org || summary || points || body) LIKE ? AND (title || org || summary || points || body) LIKE ?",
                        "SELECT id, title FROM docs WHERE (title || org || summary || points || body) LIKE ? AND (title || org || summary || points || body) LIKE ? LIMIT 20",
                        vec![format!("%{a}%"), format!("%{b}%")],
                    )
                };
                let mut count = sea_orm::sqlx::query(count_sql);
                let mut top = sea_orm::sqlx::query(top_sql);
                for arg in &args {
                    count = count.bind(arg.clone());
                    top = top.bind(arg.clone());
                }
                let total: i64 = count.fetch_one(&mut conn).await.expect("count").get(0);
                top.fetch_all(&mut conn).await.expect("top");
                u64::try_from(total).unwrap_or(0)
            })
        },
        qs,
    );
    Row3 {
        engine: if fts {
            "SQLite FTS5 trigram"
        } else {
            "SQLite LIKE scan"
        },
        n,
        build,
        size,
        p50,
        p99,
        hits,
    }
}

fn ms(d: Duration) -> String {
    format!("{:.3}", d.as_secs_f64() * 1_000.0)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let only_tantivy = args.iter().any(|a| a == "--only-tantivy");
    let sizes: Vec<usize> = args.iter().filter_map(|a| a.parse().ok()).collect();
    let sizes = if sizes.is_empty() {
        vec![1_000, 10_000, 100_000]
    } else {
        sizes
    };
    let vocabulary = Vocabulary::new(&mut Rng(1));
    let qs = queries(500, &vocabulary);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    println!("| engine | docs | build (s) | size (MB) | p50 (ms) | p99 (ms) | hits (sum) |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for n in sizes {
        let docs = documents(n, &vocabulary);
        let dir = tempfile::tempdir().expect("temp dir");
        let [tantivy, product] = bench_tantivy(n, &docs, &qs, dir.path());
        if only_tantivy {
            for row in [&tantivy, &product] {
                print_row(row);
            }
            continue;
        }
        let fts = bench_sqlite(n, &docs, &qs, dir.path(), true, &runtime);
        let like = bench_sqlite(n, &docs, &qs, dir.path(), false, &runtime);
        for row in [&tantivy, &product, &fts, &like] {
            print_row(row);
        }
        println!(
            "| ratio at {n} (AND) | | | | FTS5/tantivy p99 {:.1}× | LIKE/tantivy p99 {:.1}× | |",
            fts.p99.as_secs_f64() / tantivy.p99.as_secs_f64(),
            like.p99.as_secs_f64() / tantivy.p99.as_secs_f64()
        );
    }
}

fn print_row(row: &Row3) {
    println!(
        "| {} | {} | {:.2} | {:.1} | {} | {} | {} |",
        row.engine,
        row.n,
        row.build.as_secs_f64(),
        row.size as f64 / 1_048_576.0,
        ms(row.p50),
        ms(row.p99),
        row.hits
    );
}
