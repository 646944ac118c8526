#!/usr/bin/env python3
"""Regenerate the ops-recognition example's inputs (deterministic; fictional people).

A fictional cloud community where operators contribute as much as developers do: ops
repositories, working-group meetings, meetups, user groups, summit tracks and Superuser
articles. The example shows what each recognition proposal would do to the rolls.
"""
import csv, datetime, os, random

HERE = os.path.dirname(os.path.abspath(__file__))
rng = random.Random(20170201)
os.makedirs(os.path.join(HERE, "gerrit"), exist_ok=True)
os.makedirs(os.path.join(HERE, "governance"), exist_ok=True)
os.makedirs(os.path.join(HERE, "meetbot"), exist_ok=True)
os.makedirs(os.path.join(HERE, "rosters"), exist_ok=True)

FIRST = ["Anouk", "Bertil", "Catalina", "Desmond", "Eerin", "Faisal", "Gwen", "Hiroshi", "Ilona",
         "Jabari", "Katya", "Lorcan", "Marisol", "Nikhil", "Oona", "Pieter", "Quilla", "Rafferty",
         "Sunniva", "Teodor", "Ulrika", "Vikram", "Wren", "Xiomara", "Yusuf", "Zelda"]
LAST = ["Ashdown", "Brightwater", "Coldstream", "Dunmere", "Eastbrook", "Fairhaven", "Glenrock",
        "Hollowell", "Ironside", "Juniper", "Kestrel", "Larkspur", "Moorcroft", "Northgate",
        "Oakridge", "Pinecrest", "Quarrymoor", "Ravensworth", "Stonebridge", "Thornbury",
        "Underhill", "Valewood", "Westerly", "Yarrowby", "Zephyrine", "Ambleside"]

def person(i, kind):
    first, last = FIRST[i % 26], LAST[(i * 5 + 3) % 26]
    return {"i": i, "kind": kind, "name": f"{first} {last}",
            "email": f"{first.lower()}.{last.lower()}@example.org",
            "nick": f"{first.lower()}{last[0].lower()}", "account": 3000 + i}

developers = [person(i, "dev") for i in range(0, 14)]
operators = [person(i, "ops") for i in range(14, 26)]
# Two people are both: they write code and run clouds.
both = [developers[3], developers[7]]
people = developers + operators
assert len({p["email"] for p in people}) == len(people)

def at(d, h=12):
    return d.strftime("%Y-%m-%dT") + f"{h:02d}:00:00Z"

START = datetime.date(2016, 2, 1)   # window start
END = datetime.date(2017, 2, 1)     # window end, as_of
def day(a, b):
    return START + datetime.timedelta(days=rng.randint(a, b))

rows = []
n = [400000]
def change(p, project, when, branch="master"):
    n[0] += 1
    rows.append({"change_number": n[0], "project": project, "branch": branch,
                 "owner_account_id": p["account"], "owner_name": p["name"], "owner_email": p["email"],
                 "owner_username": p["nick"], "merged_at": when, "status": "MERGED"})

TEAMS = {"Nova": ["openstack/nova"], "Keystone": ["openstack/keystone"],
         "Documentation": ["openstack/openstack-manuals", "openstack/operations-guide"]}
for i, p in enumerate(developers):
    team = list(TEAMS)[i % 3]
    for _ in range(rng.randint(3, 9)):
        change(p, TEAMS[team][0], at(day(0, 360)))
# Operators' repository work: osops tools, ops tags, user stories, the operations guide.
OPS = ["openstack/osops-tools-generic", "openstack/osops-tools-monitoring", "openstack/ops-tags-team",
       "openstack/openstack-user-stories", "openstack/operations-guide"]
for i, p in enumerate(operators[:7]):
    for _ in range(1 + i % 3):
        change(p, OPS[i % len(OPS)], at(day(200, 360)))
# One operator's only ops change is older than six months: ATC under ops-as-atc, not AUC.
change(operators[7], "openstack/osops-tools-contrib", at(day(20, 60)))
for p in both:
    change(p, "openstack/osops-tools-generic", at(day(250, 360)))
rows.sort(key=lambda r: r["change_number"])
with open(os.path.join(HERE, "gerrit", "changes.csv"), "w", newline="") as f:
    w = csv.DictWriter(f, list(rows[0]), lineterminator="\n")
    w.writeheader()
    w.writerows(rows)

# Working-group meetings, weekly, with a MeetBot summary each.
GROUPS = {"ops_meetups_team": 0, "ops_tags": 2, "scientific_wg": 4}
attendees = {
    "ops_meetups_team": [(p, 0.8, 6) for p in operators[:6]] + [(operators[8], 0.15, 3), (both[0], 0.5, 2)],
    "ops_tags": [(p, 0.6, 5) for p in operators[3:9]] + [(operators[9], 0.3, 1)],
    "scientific_wg": [(p, 0.7, 4) for p in operators[6:11]] + [(developers[10], 0.1, 1)],
}
for group, offset in GROUPS.items():
    d = datetime.date(2016, 7, 5) + datetime.timedelta(days=offset)
    while d < END:
        present = []
        for p, rate, lines in attendees[group]:
            if rng.random() < rate:
                present.append((p["nick"] + ("_" if p["i"] % 4 == 0 else ""), max(0, lines + rng.randint(-3, 8))))
        present.append(("openstack", rng.randint(3, 9)))
        present.sort(key=lambda x: -x[1])
        stamp = d.strftime("%Y-%m-%d") + "-15.00"
        with open(os.path.join(HERE, "meetbot", f"{group}.{stamp}.txt"), "w") as f:
            title = f"#openstack-meeting: {group.replace('_', ' ')}"
            f.write("=" * len(title) + "\n" + title + "\n" + "=" * len(title) + "\n\n\n")
            f.write(f"Meeting started by {present[0][0]} at 15:00:12 UTC.\n\n\n\n")
            f.write("Meeting summary\n---------------\n* roll call  (chair, 15:00:30)\n\n\n\n")
            f.write("People present (lines said)\n---------------------------\n")
            for nick, lines in present:
                f.write(f"* {nick} ({lines})\n")
            f.write("\n\n\nGenerated by `MeetBot`_ 0.1.4\n")
        d += datetime.timedelta(days=7)

def roster(name, role, entries):
    with open(os.path.join(HERE, "rosters", name), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["criterion", "name", "email", "evidence", "date"])
        for p, evidence, when in entries:
            w.writerow([role, p["name"], p["email"], evidence, when.isoformat()])

roster("user-groups.csv", "user-group-organiser", [
    (operators[11], "Fictional City OpenStack User Group", datetime.date(2016, 11, 12)),
    (operators[0], "Example Valley Stackers", datetime.date(2016, 9, 3)),
    (operators[10], "Northern Clouds Meetup", datetime.date(2016, 3, 1)),   # too old for AUC
])
roster("ops-meetups.csv", "ops-meetup-moderator", [
    (operators[1], "Ops meetup, session: upgrades", datetime.date(2016, 8, 25)),
    (operators[4], "Ops meetup, session: monitoring", datetime.date(2016, 8, 25)),
    (both[1], "Ops meetup, session: packaging", datetime.date(2016, 8, 26)),
])
roster("track-chairs.csv", "track-chair", [
    (operators[9], "Summit track: operations", datetime.date(2016, 9, 20)),
])
roster("superuser.csv", "superuser-author", [
    (operators[8], "Superuser: running a cloud on a budget", datetime.date(2017, 1, 10)),
])

with open(os.path.join(HERE, "auc-metrics.csv"), "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["identifier", "value", "member_email", "expires"])
    w.writerow(["ACTIVE_MODERATOR", "ask.example.org", operators[10]["email"], "2017-03-01 00:00:00"])
    w.writerow(["TRACK_CHAIR", "operations", operators[9]["email"], "2017-03-20 00:00:00"])
    w.writerow(["SUPERUSER_AUTHOR", "2016 article", operators[2]["email"], "2016-12-01 00:00:00"])  # expired

with open(os.path.join(HERE, "people.toml"), "w") as f:
    f.write("# Who is who: IRC nicks in the meeting logs, and the addresses people use.\n")
    for p in operators + both:
        f.write(f"\n[[person]]\nname = \"{p['name']}\"\nemails = [\"{p['email']}\"]\nirc = [\"{p['nick']}\"]\n")

with open(os.path.join(HERE, "members.csv"), "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["member_id", "name", "email"])
    for k, p in enumerate(people):
        if p is operators[5]:
            continue  # an active operator who never joined the Foundation
        w.writerow([7000 + k, p["name"], p["email"]])
print(len(rows), "changes")
