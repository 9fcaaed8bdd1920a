"""Building the visits and the expectations of a regimen."""

from __future__ import annotations

from datetime import date

from ..errors import ParticipantError, UnitError
from ..model import (
    MONTHS_NOT_CHOSEN,
    AfterLastAnchor,
    CourseAnchor,
    Expectation,
    MonthAnchor,
    Participant,
    PeriodAnchor,
    RepeatAnchor,
    StudyDayAnchor,
    Visit,
    VisitAnchor,
    day_one_may_vanish,
)
from ..quantities import parse_dose_quantity
from ._builder import _BuilderBase
from ._fail import fail, unit_fail
from ._lengths import read_duration, read_window
from ._source import Cursor

__all__: list[str] = []


class _VisitBuilder(_BuilderBase):
    def build_visits(self) -> tuple[Visit, ...]:
        visits: list[Visit] = []
        seen: set[str] = set()
        for _, cur in self.items("visits"):
            visit = self.attempt(self.visit, cur)
            if visit is None:
                continue
            if visit.id in seen:
                self.problems.append(cur.at("id").problem("duplicate visit id",
                                                          code="duplicate-id"))
                continue
            seen.add(visit.id)
            visits.append(visit)
        return tuple(visits)

    def visit(self, cur: Cursor) -> Visit:
        raw = cur.value
        if "month" in raw:
            other = next((k for k in ("day", "week", "period", "after_last", "course", "at",
                                      "every", "offset", "cycle") if k in raw), None)
            if other is not None:
                raise fail(cur.at("month"), f"give 'month' or {other!r}, not both",
                           code="visit-anchor")
            window = read_window(cur.at("window")) if "window" in raw else None
            arms = raw.get("arms")
            for i, arm_id in enumerate(arms or ()):
                if arm_id not in self.arms:
                    raise fail(cur.at("arms").at(i), self.no_arm(), code="unknown-arm")
            return Visit(raw["id"], MonthAnchor(raw["month"]), window, raw.get("label", ""),
                         tuple(arms) if arms is not None else None, None,
                         raw.get("notes", ""))
        anchors = [k for k in ("day", "week", "period") if k in raw]
        for key, partner in (("every", "period"), ("offset", "after_last"), ("cycle", "course")):
            if key in raw and partner not in raw:
                raise fail(cur.at(key), f"{key!r} goes with {partner!r}", code="visit-anchor")
        new = next((k for k in ("after_last", "course") if k in raw), None)
        if new is not None:
            other = next((k for k in ("after_last", "course", "week", "period", "at")
                          if k in raw and k != new), None)
            if new == "after_last" and other is None and "day" in raw:
                other = "day"
            if other is not None:
                raise fail(cur.at(other), f"give {new!r} or {other!r}, not both",
                           code="visit-anchor")
        anchor: VisitAnchor
        if new == "after_last":
            if "offset" not in raw:
                raise fail(cur, "a visit after the last administration gives 'offset' (e.g. "
                           "'offset: 30 days'; '0 days' is the day of that administration)",
                           show=False, code="missing-field")
            anchor = AfterLastAnchor(raw["after_last"],
                                     read_duration(cur.at("offset"), allow_zero=True))
        elif new == "course":
            if "cycle" not in raw or "day" not in raw:
                raise fail(cur, "a visit anchored to a course gives 'cycle' and 'day' (e.g. "
                           "'course: c1, cycle: 3, day: 1')", show=False, code="visit-anchor")
            if raw["day"] < 1:
                raise fail(cur.at("day"), "a day of a cycle counts from 1", code="too-small")
            anchor = CourseAnchor(raw["course"], raw["cycle"], raw["day"])
        elif "period" in raw:
            if raw["period"] not in self.period_ids:
                raise fail(cur.at("period"),
                            f"no period has this id (periods: {', '.join(self.period_ids)})",
                            code="unknown-period")
            if "every" in raw and ("at" in raw or "day" in raw):
                raise fail(cur.at("every"), "give 'every' or "
                           f"{'at' if 'at' in raw else 'day'!r}, not both", code="visit-anchor")
            if "every" in raw and "week" in raw:
                raise fail(cur.at("week"), "give 'every' or 'week', not both",
                           code="visit-anchor")
        if new is None and "period" in raw and "every" in raw:
            anchor = RepeatAnchor(raw["period"], read_duration(cur.at("every")))
        elif new is None and "period" in raw:
            if ("at" in raw) == ("day" in raw):
                raise fail(cur, "a visit in a period gives either 'at: start|end' or 'day: N'",
                            show=False, code="visit-anchor")
            if "week" in raw:
                raise fail(cur.at("week"), "give week or period, not both", code="visit-anchor")
            day = raw.get("day")
            shortest = self.period_min.get(raw["period"], day or 1)
            if "at" in raw and shortest == 0:
                period = next(p for p in self.periods if p.id == raw["period"])
                raise fail(cur.at("at"), f"{day_one_may_vanish(period)}: anchor the visit to "
                           "a period that always has days", code="visit-zero-length-period")
            if day is not None and not 1 <= day <= shortest:
                raise fail(cur.at("day"), f"day {day} is outside period {raw['period']!r} "
                            f"(1 to {shortest})", day, code="day-outside-period")
            anchor = PeriodAnchor(raw["period"], raw.get("at"), day)
        elif new is None:
            if len(anchors) != 1:
                raise fail(cur, "a visit gives exactly one of day, week or period",
                           show=False, code="visit-anchor")
            if "at" in raw:
                raise fail(cur.at("at"), "'at' goes with 'period'", code="visit-anchor")
            # Week 0 is the day_one period's first day: Day 1, or Day 0 with day_zero.
            first = 0 if self.root.value.get("day_zero", False) else 1
            day = raw["day"] if "day" in raw else 7 * raw["week"] + first
            anchor = StudyDayAnchor(day)
        window = read_window(cur.at("window")) if "window" in raw else None
        arms = raw.get("arms")
        for i, arm_id in enumerate(arms or ()):
            arm = self.arms.get(arm_id)
            if arm is None:
                raise fail(cur.at("arms").at(i), self.no_arm(), code="unknown-arm")
            period = raw.get("period")
            if period is not None and arm.periods is not None and period not in arm.periods:
                raise fail(cur.at("arms").at(i),
                            f"this arm does not go through period {period!r}",
                            code="arm-not-in-period")
        return Visit(raw["id"], anchor, window, raw.get("label", ""),
                     tuple(arms) if arms is not None else None, raw.get("week"),
                     raw.get("notes", ""))

    def expectation(self, cur: Cursor) -> Expectation:

        raw = cur.value
        if raw["arm"] not in self.arms:
            raise fail(cur.at("arm"), self.no_arm(), code="unknown-arm")
        if raw["drug"] not in self.drug_ids:
            raise fail(cur.at("drug"), self.no_drug(), code="unknown-drug")
        if not self.problems and (raw["arm"], raw["drug"]) not in self.course_drugs:
            raise fail(cur.at("drug"), f"arm {raw['arm']!r} never receives this drug",
                       code="drug-not-in-arm")
        total = None
        if "total" in raw:
            try:
                total = parse_dose_quantity(raw["total"])
            except UnitError as exc:
                raise unit_fail(cur.at("total"), exc) from None
        for key in ("weight", "height", "bsa"):
            if key in raw:
                try:
                    Participant(**{key: raw[key]})
                except (UnitError, ParticipantError) as exc:
                    raise unit_fail(cur.at(key), exc) from None
        lengths = raw.get("lengths", {})
        arm = self.arms[raw["arm"]]
        for period_id in lengths:
            at = cur.at("lengths").at(period_id)
            if period_id not in self.period_ids:
                raise fail(at, "no period has this id", period_id, code="unknown-period")
            if arm.periods is not None and period_id not in arm.periods:
                raise fail(at, f"arm {arm.id!r} does not go through this period", period_id,
                           code="arm-not-in-period")
            allowed = self.period_lengths.get(period_id)
            if allowed is not None and allowed.months is not None:
                raise fail(at, MONTHS_NOT_CHOSEN.format(allowed), code="length-out-of-range")
            length = read_duration(at, allow_zero=allowed is not None
                                   and not allowed.shortest.days)
            if allowed is not None and length not in allowed:
                raise fail(at, f"must be within {allowed} ({allowed.shortest.days}-"
                            f"{allowed.longest.days} days)" if not allowed.fixed else
                            f"this period has a fixed length of {allowed}",
                            code="length-out-of-range")
        if "start" in raw:
            try:
                date.fromisoformat(raw["start"])
            except ValueError:
                raise fail(cur.at("start"), "not a calendar date (YYYY-MM-DD)",
                           code="bad-date") from None
        return Expectation(
            arm=raw["arm"], drug=raw["drug"], administrations=raw.get("administrations"),
            total=total, first_day=raw.get("first_day"), last_day=raw.get("last_day"),
            weight=raw.get("weight"), height=raw.get("height"), bsa=raw.get("bsa"),
            lengths=tuple(lengths.items()), start=raw.get("start"), notes=raw.get("notes", ""),
            where=self.where(cur),
        )
