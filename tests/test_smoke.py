def test_home_page_is_french(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "le travail pair" in response.get_data(as_text=True)
