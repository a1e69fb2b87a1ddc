#!/usr/bin/env bash
# The README's walk-through, as one script: `npm start` in one terminal, then `bash scripts/walkthrough.sh`
# (API=http://localhost:3000 by default). Each step checks its answer, and the first that does not get the
# status it expects stops the run, saying which step and what came back. Whatever it creates carries this run's
# own mark (a pavilion, a programme, two people of its own), so it runs again and again on the same database.
set -euo pipefail

API=${API:-http://localhost:3000}
RUN=${RUN:-$(date +%s)$$}
ANSWER=$(mktemp)
trap 'rm -f "$ANSWER"' EXIT

# call STEP STATUS METHOD PATH [JSON] [TOKEN]: one request; stops the walk-through unless it answers STATUS.
call() {
  local step=$1 expected=$2 method=$3 path=$4 data=${5:-} token=${6:-} status
  local args=(-s -o "$ANSWER" -w '%{http_code}' -X "$method" "$API$path")
  if [[ -n $data ]]; then args+=(-H 'content-type: application/json' -d "$data"); fi
  if [[ -n $token ]]; then args+=(-H "authorization: Bearer $token"); fi
  if ! status=$(curl "${args[@]}"); then
    echo "✗ $step: no answer from $API (is \`npm start\` running?)" >&2
    exit 1
  fi
  if [[ $status != "$expected" ]]; then
    echo "✗ $step: expected $expected, got $status: $(head -c 400 "$ANSWER")" >&2
    exit 1
  fi
  echo "✓ $step ($status)"
}

# get EXPR: a value of the last answer (called `a` in EXPR); stops the walk-through when it is missing.
get() {
  node -e '
    const a = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    let v;
    try {
      v = new Function("a", `return (${process.argv[2]})`)(a);
    } catch {
      v = undefined;
    }
    if (v === undefined || v === null) {
      console.error(`✗ ${process.argv[2]} is missing from ${JSON.stringify(a).slice(0, 300)}`);
      process.exit(1);
    }
    console.log(typeof v === "string" ? v : JSON.stringify(v));' "$ANSWER" "$1"
}

# show EXPR: prints a value of the last answer, indented.
show() { echo "    $(get "$1")"; }

echo "== The demo programme (Days of Chelyabinsk Region, Astana time of 2017)"
call "list programmes" 200 GET "/api/programmes?limit=100"
PROGRAMME=$(get 'a.items.find((p) => p.title === "Days of Chelyabinsk Region").id')
call "the first day's items" 200 GET "/api/programmes/$PROGRAMME/items?date=2017-08-15"
show 'a.items.map((i) => `${i.startsAt.slice(11, 16)} ${i.title}`).join("\n    ")'
call "English conferences of the second day" 200 GET \
  "/api/programmes/$PROGRAMME/items?date=2017-08-16&type=conference&language=en"
PAVILION=$(get 'a.items[0].space.pavilionId')

echo "== Sign in"
call "the organizer signs in" 200 POST /api/auth/login \
  '{"email":"organizer@chelyabinsk.local","password":"chelyabinsk-days-2017"}'
TOKEN=$(get 'a.accessToken')
call "the admin signs in" 200 POST /api/auth/login '{"email":"admin@pavilion.local","password":"pavilion-admin-2017"}'
ADMIN=$(get 'a.accessToken')
call "the organizer's organization" 200 GET /api/me "" "$TOKEN"
ORG_ID=$(get 'a.organizationIds[0]')

echo "== A room of this run's own in the demo pavilion, and an upcoming programme there"
call "the admin adds a small room" 201 POST "/api/pavilions/$PAVILION/spaces" \
  "{\"name\":\"Walk-through room $RUN\",\"capacity\":10,\"kind\":\"round_table\"}" "$ADMIN"
ROOM=$(get 'a.id')
call "an upcoming programme" 201 POST /api/programmes \
  "{\"organizationId\":\"$ORG_ID\",\"pavilionId\":\"$PAVILION\",\"title\":\"Walk-through $RUN\",\"startsOn\":\"2031-06-02\",\"endsOn\":\"2031-06-03\"}" \
  "$TOKEN"
NEXT=$(get 'a.id')
call "a round table for one person" 201 POST "/api/programmes/$NEXT/items" \
  "{\"type\":\"round_table\",\"title\":\"Tourism between the Urals and Astana\",\"spaceId\":\"$ROOM\",\"startsAt\":\"2031-06-02T11:00\",\"endsAt\":\"2031-06-02T12:00\",\"capacity\":1,\"languages\":[\"ru\",\"kk\"]}" \
  "$TOKEN"
ITEM=$(get 'a.id')
call "the same slot again is refused, naming the item in the way" 409 POST "/api/programmes/$NEXT/items" \
  "{\"type\":\"negotiations\",\"title\":\"Clash\",\"spaceId\":\"$ROOM\",\"startsAt\":\"2031-06-02T11:30\",\"endsAt\":\"2031-06-02T12:30\"}" \
  "$TOKEN"
show 'a.detail'
call "move the round table (its version goes up)" 200 PATCH "/api/items/$ITEM" \
  '{"startsAt":"2031-06-02T15:00","endsAt":"2031-06-02T16:00"}' "$TOKEN"
show '`version ${a.version}, ${a.startsAt}`'
call "publish the programme" 200 POST "/api/programmes/$NEXT/publish" "" "$TOKEN"

echo "== Two people register for the one seat: one is confirmed, the other waits"
call "Aigerim signs up" 201 POST /api/auth/signup \
  "{\"email\":\"aigerim-$RUN@example.org\",\"password\":\"steppe wind 2017\",\"displayName\":\"Aigerim $RUN\",\"locale\":\"kk\"}"
AIGERIM=$(get 'a.accessToken')
call "Timur signs up" 201 POST /api/auth/signup \
  "{\"email\":\"timur-$RUN@example.org\",\"password\":\"ural mountains 2017\",\"displayName\":\"Timur $RUN\",\"locale\":\"ru\"}"
TIMUR=$(get 'a.accessToken')
call "Aigerim registers: confirmed" 201 POST "/api/items/$ITEM/registrations" "" "$AIGERIM"
show '`${a.status}, check-in code ${a.checkInCode}`'
CODE=$(get 'a.checkInCode')
call "Timur registers: waitlisted" 201 POST "/api/items/$ITEM/registrations" "" "$TIMUR"
show '`${a.status}, position ${a.waitlistPosition}`'
call "the item's counts" 200 GET "/api/items/$ITEM"
show '`registered ${a.registeredCount}, seats left ${a.seatsLeft}, waiting ${a.waitlistCount}`'
call "the organizer sees the waitlist" 200 GET "/api/items/$ITEM/registrations?status=waitlisted" "" "$TOKEN"
show 'a.items.map((r) => `#${r.waitlistPosition} ${r.displayName ?? r.userId}`).join(", ")'

echo "== Aigerim cancels; Timur moves up"
call "Aigerim cancels" 204 DELETE "/api/items/$ITEM/registrations/me" "" "$AIGERIM"
call "Timur's registrations" 200 GET /api/me/registrations "" "$TIMUR"
STATUS=$(get 'a.items[0].status')
if [[ $STATUS != confirmed ]]; then
  echo "✗ Timur was not promoted: $STATUS" >&2
  exit 1
fi
TIMUR_CODE=$(get 'a.items[0].checkInCode')
call "check Timur in by his code" 201 POST "/api/items/$ITEM/check-ins" "{\"code\":\"$TIMUR_CODE\"}" "$TOKEN"
call "a second check-in is refused" 409 POST "/api/items/$ITEM/check-ins" "{\"code\":\"$TIMUR_CODE\"}" "$TOKEN"
call "Aigerim's old code no longer lets her in" 409 POST "/api/items/$ITEM/check-ins" "{\"code\":\"$CODE\"}" "$TOKEN"

echo "== Calendars"
call "the programme's calendar" 200 GET "/api/programmes/$NEXT/calendar.ics"
call "Timur's feed token" 200 GET /api/me "" "$TIMUR"
FEED=$(get 'a.calendarFeedToken')
call "Timur's personal feed" 200 GET "/api/me/agenda.ics?token=$FEED"

echo "== Cancel the round table (everyone registered is told, by email and in the app)"
call "cancel the item" 200 POST "/api/items/$ITEM/cancel" '{"reason":"The delegation was delayed"}' "$TOKEN"
call "Timur's notices" 200 GET /api/me/notifications "" "$TIMUR"
show 'a.items.map((n) => n.kind).join(", ") || "(the worker has not caught up yet)"'

echo "Done: the walk-through ran through (run $RUN). The letters are under var/mail/: npm run mail:show"
