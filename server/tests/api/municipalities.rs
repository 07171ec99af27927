use crate::helpers::{TestApp, backends};

#[tokio::test]
async fn kochi_has_34_municipalities_with_full_width_kana() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let (status, body) = app.get_json("/api/municipalities?prefecture=高知県").await;
        assert_eq!(status, 200, "{backend:?}");
        assert_eq!(body["total"], 34, "{backend:?}");
        let items = body["items"].as_array().unwrap();
        assert_eq!(items.len(), 34);
        assert_eq!(items[0]["code"], "392014");
        assert_eq!(items[0]["name"], "高知市");
        assert_eq!(items[0]["kana"], "コウチシ");
        assert_eq!(items[0]["kind"], "市");
        let villages = items.iter().filter(|m| m["kind"] == "村").count();
        assert_eq!(villages, 6, "北川村 馬路村 芸西村 大川村 日高村 三原村");
    }
}

#[tokio::test]
async fn nara_has_39_municipalities_in_code_order_and_can_be_named_by_code() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let (_, by_name) = app.get_json("/api/municipalities?prefecture=奈良県").await;
        let (_, by_code) = app.get_json("/api/municipalities?prefecture=290009").await;
        assert_eq!(by_name["total"], 39, "{backend:?}");
        assert_eq!(by_name, by_code, "{backend:?}");
        let codes: Vec<&str> = by_name["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["code"].as_str().unwrap())
            .collect();
        let mut sorted = codes.clone();
        sorted.sort();
        assert_eq!(codes, sorted);
        let miyake = by_name["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["code"] == "293628")
            .unwrap();
        assert_eq!(miyake["name"], "三宅町");
        assert_eq!(miyake["kind"], "町");
    }
}

#[tokio::test]
async fn an_unknown_prefecture_is_a_400_naming_the_field() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let (status, body) = app.get_json("/api/municipalities?prefecture=東京府").await;
        assert_eq!(status, 400, "{backend:?}");
        insta::allow_duplicates! {
            insta::assert_json_snapshot!(body, @r#"
            {
              "error": {
                "code": "invalid_input",
                "field": "prefecture",
                "message": "都道府県「東京府」は見つかりません。「奈良県」のような名称か6桁の団体コードで指定してください。"
              }
            }
            "#)
        }
    }
}

#[tokio::test]
async fn the_prefecture_list_has_47_prefectures_holding_1741_municipalities() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let (status, body) = app.get_json("/api/prefectures").await;
        assert_eq!(status, 200, "{backend:?}");
        assert_eq!(body["total"], 47);
        let sum: u64 = body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["municipalities"].as_u64().unwrap())
            .sum();
        assert_eq!(sum, 1741);
        let tokyo = body["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == "東京都")
            .unwrap();
        assert_eq!(tokyo["kana"], "トウキョウト");
        assert_eq!(
            tokyo["municipalities"], 62,
            "23 special wards, 26 cities, 5 towns, 8 villages"
        );
    }
}
