from tests.counter.support import OTHER_PAGE, PAGE, local_time

FIVE_MINUTES = 5 * 60
THIRTY_MINUTES = 30 * 60


def test_first_visit_is_counted_in_total_today_page_and_online(client):
    answer = client.hit()

    assert answer.status == 200
    assert answer.body == {"total": 1, "online": 1, "today": 1, "page": 1}


def test_same_visitor_same_path_counts_once_within_thirty_minutes(client, clock):
    client.hit()
    clock.advance(THIRTY_MINUTES - 0.001)

    assert client.hit().body["total"] == 1


def test_same_visitor_same_path_counts_again_after_thirty_minutes(client, clock):
    client.hit()
    clock.advance(THIRTY_MINUTES)

    assert client.hit().body["total"] == 2


def test_revisit_window_runs_from_the_last_counted_visit_not_the_last_request(client, clock):
    client.hit()
    clock.advance(20 * 60)
    client.hit()  # not counted, and does not push the window back
    clock.advance(10 * 60)

    assert client.hit().body["total"] == 2


def test_same_visitor_on_another_path_is_a_new_visit(client):
    client.hit(PAGE)

    answer = client.hit(OTHER_PAGE)

    assert answer.body["total"] == 2
    assert answer.body["page"] == 1


def test_repeated_view_id_never_counts_twice(client, clock):
    client.hit(view="view-0001", address="203.0.113.1")
    clock.advance(THIRTY_MINUTES + 1)

    replay = client.hit(view="view-0001", address="203.0.113.2")

    assert replay.status == 200
    assert replay.body["total"] == 1


def test_visitor_is_online_until_just_before_five_minutes(client, clock):
    client.hit(address="203.0.113.1")
    clock.advance(FIVE_MINUTES - 0.001)

    assert client.stats().body["online"] == 1


def test_visitor_is_no_longer_online_at_five_minutes(client, clock):
    client.hit(address="203.0.113.1")
    clock.advance(FIVE_MINUTES)

    assert client.stats().body["online"] == 0


def test_online_counts_distinct_visitors_not_requests(client):
    client.hit(PAGE, address="203.0.113.1")
    client.hit(OTHER_PAGE, address="203.0.113.1")

    assert client.hit(address="203.0.113.2").body["online"] == 2


def test_uncounted_revisit_still_keeps_the_visitor_online(client, clock):
    client.hit()
    clock.advance(4 * 60)
    client.hit()  # within 30 minutes: not a visit, but the reader is here
    clock.advance(4 * 60)

    answer = client.stats()
    assert answer.body["online"] == 1
    assert answer.body["total"] == 1


def test_today_counts_visits_since_local_midnight(client, clock):
    clock.set(local_time(2026, 11, 26, 23, 50))
    client.hit(address="203.0.113.1")
    clock.set(local_time(2026, 11, 27, 0, 0))

    answer = client.hit(address="203.0.113.2")

    assert answer.body["today"] == 1
    assert answer.body["total"] == 2


def test_page_counts_only_visits_of_that_path(client):
    client.hit(PAGE, address="203.0.113.1")
    client.hit(PAGE, address="203.0.113.2")
    client.hit(OTHER_PAGE, address="203.0.113.3")

    assert client.stats(PAGE).body["page"] == 2
    assert client.stats(OTHER_PAGE).body["page"] == 1


def test_percent_encoded_path_counts_as_the_page_it_names(make_client, manifest_path):
    manifest_path.write_text('["/tin-tuc/mặt-trận.html"]')
    client = make_client()

    answer = client.hit("/tin-tuc/m%E1%BA%B7t-tr%E1%BA%ADn.html")

    assert answer.body["page"] == 1


def test_stats_answer_without_counting(client):
    client.hit(address="203.0.113.1")

    for _ in range(3):
        answer = client.stats(address="203.0.113.2")

    assert answer.body == {"total": 1, "online": 1, "today": 1, "page": 1}


def test_total_starts_from_the_configured_offset(make_client):
    client = make_client(offset=1_234_567)

    assert client.stats().body["total"] == 1_234_567
    assert client.hit().body["total"] == 1_234_568
