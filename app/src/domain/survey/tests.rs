use proptest::prelude::*;
use serde_json::json;

use super::*;

fn day(text: &str) -> NaiveDate {
    parse_date(text).expect("a date")
}

fn question(kind: QuestionKind, options: &[&str], required: bool) -> Question {
    Question {
        kind,
        label: "質問".into(),
        options: options.iter().map(|o| (*o).to_owned()).collect(),
        required,
    }
}

fn input(questions: Vec<QuestionInput>) -> SurveyInput {
    SurveyInput {
        title: "生成AIの利用状況".into(),
        instructions: String::new(),
        deadline: "2026-12-25".into(),
        questions,
        municipalities: vec!["all".into()],
    }
}

#[test]
fn a_survey_names_every_wrong_field_and_question() {
    let errors = parse_survey(
        &SurveyInput {
            deadline: "来週".into(),
            questions: vec![
                QuestionInput {
                    kind: "choice".into(),
                    label: "使っていますか".into(),
                    options: vec!["はい".into()],
                    required: true,
                },
                QuestionInput {
                    kind: "colour".into(),
                    label: "色".into(),
                    ..QuestionInput::default()
                },
            ],
            ..SurveyInput::default()
        },
        day("2026-12-04"),
    )
    .expect_err("refused");
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "title",
            "deadline",
            "questions.0",
            "questions.1",
            "municipalities"
        ]
    );
    assert!(errors.iter().any(|e| e.message.contains("選択肢を2つ以上")));
}

#[test]
fn a_deadline_already_past_is_refused_and_today_is_accepted() {
    let q = vec![QuestionInput {
        kind: "number".into(),
        label: "職員数".into(),
        ..QuestionInput::default()
    }];
    let mut sent = input(q);
    sent.deadline = "2026/12/3".into();
    assert!(parse_survey(&sent, day("2026-12-04")).is_err());
    let made = parse_survey(&sent, day("2026-12-03")).expect("today is fine");
    assert_eq!(made.deadline, day("2026-12-03"));
}

#[test]
fn numbers_are_read_as_towns_type_them() {
    let q = question(QuestionKind::Number, &[], false);
    for (typed, value) in [("１２", 12.0), ("1,200", 1200.0), (" 3.5 ", 3.5)] {
        assert_eq!(
            parse_answer(&q, &json!(typed)),
            Ok(Answer::Number(value)),
            "{typed}"
        );
    }
    assert!(parse_answer(&q, &json!("十二")).is_err());
    assert!(parse_answer(&q, &json!("1e300")).is_err());
    assert_eq!(parse_answer(&q, &json!(7)), Ok(Answer::Number(7.0)));
}

#[test]
fn a_choice_must_be_one_of_its_options_and_multi_keeps_the_options_order() {
    let single = question(
        QuestionKind::Choice,
        &["導入済み", "検討中", "予定なし"],
        false,
    );
    assert_eq!(
        parse_answer(&single, &json!("検討中")),
        Ok(Answer::Choice("検討中".into()))
    );
    assert!(parse_answer(&single, &json!("<script>")).is_err());
    let multi = question(QuestionKind::Multi, &["文書作成", "議事録", "翻訳"], false);
    assert_eq!(
        parse_answer(&multi, &json!(["翻訳", "文書作成", "翻訳"])),
        Ok(Answer::Multi(vec!["文書作成".into(), "翻訳".into()]))
    );
}

#[test]
fn a_draft_may_leave_required_questions_empty_but_a_submission_may_not() {
    let questions = vec![
        question(QuestionKind::YesNo, &[], true),
        question(QuestionKind::Short, &[], false),
    ];
    assert_eq!(
        parse_answers(&questions, &[], false).expect("draft"),
        vec![Answer::Empty, Answer::Empty]
    );
    let errors = parse_answers(&questions, &[], true).expect_err("refused");
    assert_eq!(errors.first().field, "answers.0");
    let errors = parse_answers(&questions, &[json!(true), json!("a"), json!("b")], true)
        .expect_err("too many");
    assert_eq!(errors.first().field, "answers");
}

#[test]
fn the_answer_may_change_until_the_deadline_day_ends_or_when_reopened() {
    let deadline = day("2026-12-25");
    assert!(may_edit(deadline, day("2026-12-25"), false));
    assert!(!may_edit(deadline, day("2026-12-26"), false));
    assert!(may_edit(deadline, day("2026-12-26"), true));
}

#[test]
fn results_count_choices_and_sum_numbers() {
    let questions = vec![
        question(QuestionKind::Choice, &["導入済み", "検討中"], false),
        question(QuestionKind::Number, &[], false),
        question(QuestionKind::YesNo, &[], false),
    ];
    let towns = vec![
        vec![
            Answer::Choice("導入済み".into()),
            Answer::Number(3.0),
            Answer::YesNo(true),
        ],
        vec![
            Answer::Choice("導入済み".into()),
            Answer::Number(5.0),
            Answer::YesNo(false),
        ],
        vec![Answer::Empty, Answer::Empty, Answer::Empty],
    ];
    let results = aggregate(&questions, &towns);
    assert_eq!(
        results[0].tally,
        Tally::Counts(vec![("導入済み".into(), 2), ("検討中".into(), 0)])
    );
    assert_eq!(
        results[1].tally,
        Tally::Numbers {
            sum: 8.0,
            mean: Some(4.0),
            min: Some(3.0),
            max: Some(5.0)
        }
    );
    assert_eq!(results[2].answered, 2);
    assert_eq!(
        results[2].tally,
        Tally::Counts(vec![("はい".into(), 1), ("いいえ".into(), 1)])
    );
}

proptest! {
    #[test]
    fn a_stored_answer_reads_back_as_itself(
        picks in proptest::collection::vec(0usize..4, 0..6),
        n in -1e9f64..1e9,
        text in "[^\\p{C}]{0,40}",
    ) {
        let options = ["a", "b", "c", "d"];
        let questions = vec![
            question(QuestionKind::Multi, &options, false),
            question(QuestionKind::Number, &[], false),
            question(QuestionKind::Short, &[], false),
        ];
        let raw = vec![
            json!(picks.iter().map(|i| options[*i]).collect::<Vec<_>>()),
            json!(n),
            json!(text),
        ];
        let answers = parse_answers(&questions, &raw, false).expect("valid");
        let stored: Vec<Value> = answers.iter().map(Answer::to_json).collect();
        prop_assert_eq!(stored_answers(&questions, &stored), answers);
    }

    #[test]
    fn every_choice_answer_is_counted_once_per_town(
        picks in proptest::collection::vec(proptest::option::of(0usize..3), 0..40),
    ) {
        let options = ["x", "y", "z"];
        let questions = vec![question(QuestionKind::Choice, &options, false)];
        let towns: Vec<Vec<Answer>> = picks
            .iter()
            .map(|p| vec![p.map_or(Answer::Empty, |i| Answer::Choice(options[i].into()))])
            .collect();
        let result = &aggregate(&questions, &towns)[0];
        let Tally::Counts(counts) = &result.tally else { panic!("counts") };
        let total: u32 = counts.iter().map(|(_, c)| c).sum();
        prop_assert_eq!(total, result.answered);
        prop_assert_eq!(result.answered as usize, picks.iter().flatten().count());
    }
}
