#!/usr/bin/env python3
"""Regenerate the newton-tc example's inputs (deterministic; fictional people).

The example is an election with every edge the roll rules care about: merges one
second either side of both window edges, offsets that cross midnight, duplicate
accounts, a case-variant address, an account without a full name, extra-ATCs (one
expired), a retired team and a deliverable retired before the window, a SIG and a TC
repository with extra-ACs, a non-member, stable-branch merges, abandoned changes and
repositories governance does not list. Run it from anywhere; it writes next to itself.
"""
import csv, datetime, json, os, random

HERE = os.path.dirname(os.path.abspath(__file__))
rng = random.Random(20160304)

FIRST = ["Ines", "Tomas", "Yara", "Olek", "Maren", "Kofi", "Lina", "Bruno", "Saanvi", "Emeka",
         "Hana", "Pavel", "Rosa", "Jonah", "Mirela", "Tariq", "Elif", "Dario", "Noor", "Keanu",
         "Ilse", "Mateo", "Priya", "Soren", "Zofia", "Amaru", "Greta", "Kenji", "Leila", "Omar"]
LAST = ["Quillfeather", "Brannock", "Velasquo", "Ostrander", "Kettleby", "Amadi", "Sorvino",
        "Haldane", "Ravindran", "Okonkwo", "Tanabe", "Dvorak", "Marchetti", "Penhallow",
        "Ionescu", "Haddad", "Yildiran", "Castellane", "Farouk", "Makoa", "Brandvold",
        "Ferreira", "Natarajan", "Lindqvist", "Wozniak", "Quispe", "Aaltonen", "Morikawa",
        "Nassar", "Belhaj"]

TEAMS = {
    "Nova": ["openstack/nova", "openstack/python-novaclient"],
    "Glance": ["openstack/glance"],
    "Keystone": ["openstack/keystone"],
    "Oslo": ["openstack/oslo.config", "openstack/oslo.messaging"],
    "Release Management": ["openstack/releases"],
    "Documentation": ["openstack/openstack-manuals"],
}
UNGOVERNED = ["stackforge/fuel-web", "openstack-infra/project-config"]

people = []
for i in range(36):
    first, last = FIRST[i % len(FIRST)], LAST[(i * 7 + i // len(FIRST)) % len(LAST)]
    people.append({
        "id": 1001 + i,
        "name": f"{first} {last}",
        "email": f"{first.lower()}.{last.lower()}@example.org",
        "username": f"{first.lower()}{last[0].lower()}",
    })

assert len({p["email"] for p in people}) == len(people), "fictional people must be distinct"

def ts(y, mo, d, h=0, mi=0, s=0, off="Z"):
    return f"{y:04d}-{mo:02d}-{d:02d}T{h:02d}:{mi:02d}:{s:02d}{off}"

rows = []
number = [100000]
def change(person, project, at, branch="master", status="MERGED", email=None, name=None,
           account=None, username=None, co=""):
    number[0] += 1
    rows.append({
        "change_number": number[0],
        "change_id": "I%040x" % rng.getrandbits(160),
        "project": project,
        "branch": branch,
        "owner_account_id": person["id"] if account is None else account,
        "owner_name": person["name"] if name is None else name,
        "owner_email": person["email"] if email is None else email,
        "owner_username": person["username"] if username is None else username,
        "merged_at": at if status == "MERGED" else "",
        "status": status,
        "co_authors": co,
    })

# Regular contributors: 24 people with a home team and a few changes each, spread over
# the release cycles around the window (2014-09 .. 2016-06).
team_names = list(TEAMS)
regular = people[:24]
for i, p in enumerate(regular):
    team = team_names[i % len(team_names)]
    for _ in range(rng.randint(4, 14)):
        repo = rng.choice(TEAMS[team])
        day = rng.randint(0, 640)
        d = datetime.datetime(2014, 9, 1) + datetime.timedelta(days=day, seconds=rng.randint(0, 86399))
        change(p, repo, d.strftime("%Y-%m-%dT%H:%M:%SZ"))
    if i % 5 == 0:  # some work in a second team
        other = team_names[(i + 2) % len(team_names)]
        change(p, TEAMS[other][0], ts(2015, 7, 1 + i % 20, 10, 0, 0))

# Stable-branch merges.
for i, p in enumerate(people[2:8]):
    change(p, "openstack/nova", ts(2015, 10, 5 + i, 12, 0, 0), branch="stable/liberty")
change(people[9], "openstack/keystone", ts(2015, 5, 2, 9, 30, 0), branch="stable/kilo")
change(people[10], "openstack/keystone", ts(2014, 11, 2, 9, 30, 0), branch="stable/juno")  # before the window

# Window edges: people whose only change sits on an edge.
e = people[24:32]
change(e[0], "openstack/glance", ts(2015, 3, 3, 23, 59, 59))          # 1 s before the start: out
change(e[1], "openstack/glance", ts(2015, 3, 4, 0, 0, 0))             # the start itself: in
change(e[2], "openstack/glance", ts(2015, 3, 4, 0, 0, 1))             # 1 s after the start: in
change(e[3], "openstack/keystone", ts(2016, 3, 3, 23, 59, 59))        # 1 s before the end: in
change(e[4], "openstack/keystone", ts(2016, 3, 4, 0, 0, 0))           # the end itself: out
change(e[5], "openstack/keystone", ts(2016, 3, 4, 0, 0, 1))           # 1 s after the end: out
change(e[6], "openstack/oslo.config", ts(2016, 3, 4, 0, 30, 0, "+01:00"))   # 2016-03-03T23:30Z: in
change(e[7], "openstack/oslo.config", ts(2015, 3, 3, 23, 30, 0, "-01:00"))  # 2015-03-04T00:30Z: in

# Duplicate accounts.
grace = people[32]
change(grace, "openstack/nova", ts(2015, 6, 1, 8, 0, 0))
change(grace, "openstack/nova", ts(2015, 6, 9, 8, 0, 0), account=2033,
       email=grace["email"].replace(grace["email"][0], grace["email"][0].upper(), 1))  # case variant
alan = people[33]
change(alan, "openstack/oslo.messaging", ts(2015, 4, 1, 8, 0, 0))
change(alan, "openstack/oslo.messaging", ts(2015, 8, 1, 8, 0, 0), account=2034)  # same address
change(alan, "openstack/oslo.messaging", ts(2015, 9, 1, 8, 0, 0), account=2034)

# An account without a full name, a non-member, SIG, TC and retired repositories.
nameless = people[34]
change(nameless, "openstack/api-sig", ts(2015, 11, 11, 11, 0, 0), name="")
nonmember = people[35]
change(nonmember, "openstack/governance", ts(2015, 12, 1, 15, 0, 0))
change(people[11], "openstack/astara", ts(2015, 9, 15, 10, 0, 0))          # team retired 2015-10-06: counts
change(people[12], "openstack/nova-docker", ts(2015, 4, 15, 10, 0, 0))     # retired 2015-02-17: does not
change(people[13], "openstack/governance", ts(2015, 5, 20, 10, 0, 0),
       co="Hana Tanabe <hana.tanabe@example.org>")

# Changes that never count: abandoned, open, ungoverned repositories.
for i in range(12):
    p = regular[i]
    change(p, TEAMS[team_names[i % 6]][0], "", status=rng.choice(["ABANDONED", "NEW"]))
for i in range(10):
    p = regular[(i * 3) % 24]
    change(p, UNGOVERNED[i % 2], ts(2015, 6, 1 + i, 12, 0, 0))

rng.shuffle(rows)
# Glance changes go into a Gerrit REST export; the rest stay in the CSV.
rest = [r for r in rows if r["project"] == "openstack/glance"]
csv_rows = [r for r in rows if r["project"] != "openstack/glance"]
csv_rows.sort(key=lambda r: r["change_number"])
columns = ["change_number", "change_id", "project", "branch", "owner_account_id", "owner_name",
           "owner_email", "owner_username", "merged_at", "status", "co_authors"]
with open(os.path.join(HERE, "gerrit", "changes.csv"), "w", newline="") as f:
    w = csv.DictWriter(f, columns, lineterminator="\n")
    w.writeheader()
    w.writerows(csv_rows)

def rest_time(at):
    t = datetime.datetime.fromisoformat(at.replace("Z", "+00:00")).astimezone(datetime.timezone.utc)
    return t.strftime("%Y-%m-%d %H:%M:%S.000000000")

rest.sort(key=lambda r: r["change_number"])
pages = [rest[:len(rest) // 2], rest[len(rest) // 2:]]
with open(os.path.join(HERE, "gerrit", "glance-rest.json"), "w") as f:
    for page in pages:
        items = []
        for r in page:
            item = {
                "id": f"openstack%2Fglance~{r['branch']}~{r['change_id']}",
                "project": r["project"], "branch": r["branch"], "change_id": r["change_id"],
                "status": r["status"], "_number": r["change_number"],
                "owner": {"_account_id": r["owner_account_id"], "name": r["owner_name"],
                          "email": r["owner_email"], "username": r["owner_username"]},
            }
            if r["merged_at"]:
                item["submitted"] = rest_time(r["merged_at"])
            items.append(item)
        f.write(")]}'\n")
        json.dump(items, f, indent=2)
        f.write("\n")

# Membership: everyone but the non-member; one member lists two addresses.
with open(os.path.join(HERE, "members.csv"), "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["member_id", "name", "email", "other_emails"])
    extra_people = [("Vesna Quarrie", "vesna.quarrie@example.org"), ("Ilario Dunmore", "ilario.dunmore@example.org"),
                    ("Ottilie Vance", "ottilie.vance@example.org"), ("Baptiste Orrin", "baptiste.orrin@example.org"),
                    ("Runa Calloway", "runa.calloway@example.org")]
    n = 5000
    for p in people:
        if p is nonmember:
            continue
        n += 1
        other = f"{p['username']}@example.net" if p is alan else ""
        w.writerow([n, p["name"], p["email"], other])
    for name, email in extra_people:
        n += 1
        w.writerow([n, name, email, ""])
print(f"{len(csv_rows)} CSV rows, {len(rest)} REST changes")
