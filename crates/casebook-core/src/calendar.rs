//! Business days as US law counts them for a DMCA counter-notice (17 U.S.C. § 512(g)): no
//! Saturdays, no Sundays, no federal holidays (5 U.S.C. § 6103) on their observed dates. A
//! holiday that falls on a Saturday is observed the Friday before (so New Year's Day of one year
//! can be observed on December 31 of the year before); on a Sunday, the Monday after.

use chrono::{Datelike, Duration, NaiveDate, Weekday};

/// The observed dates of the federal holidays of `year`, in date order. Juneteenth counts from
/// 2021, when it became one.
pub fn federal_holidays(year: i32) -> Vec<NaiveDate> {
    let fixed = |month, day| NaiveDate::from_ymd_opt(year, month, day).map(observed);
    let nth = |month, weekday, n| NaiveDate::from_weekday_of_month_opt(year, month, weekday, n);
    let mut days = vec![
        fixed(1, 1),
        nth(1, Weekday::Mon, 3),
        nth(2, Weekday::Mon, 3),
        last_weekday_of(year, 5, Weekday::Mon),
        if year >= 2021 { fixed(6, 19) } else { None },
        fixed(7, 4),
        nth(9, Weekday::Mon, 1),
        nth(10, Weekday::Mon, 2),
        fixed(11, 11),
        nth(11, Weekday::Thu, 4),
        fixed(12, 25),
    ];
    days.sort();
    days.into_iter().flatten().collect()
}

/// Whether `day` is a federal holiday as observed.
pub fn is_federal_holiday(day: NaiveDate) -> bool {
    // Next year's New Year's Day may be observed on this year's December 31.
    federal_holidays(day.year()).contains(&day) || federal_holidays(day.year() + 1).contains(&day)
}

pub fn is_business_day(day: NaiveDate) -> bool {
    !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) && !is_federal_holiday(day)
}

/// The `n`th business day after `day` (`day` itself does not count).
pub fn add_business_days(day: NaiveDate, n: u32) -> NaiveDate {
    let mut current = day;
    let mut counted = 0;
    while counted < n {
        current += Duration::days(1);
        if is_business_day(current) {
            counted += 1;
        }
    }
    current
}

fn observed(day: NaiveDate) -> NaiveDate {
    match day.weekday() {
        Weekday::Sat => day - Duration::days(1),
        Weekday::Sun => day + Duration::days(1),
        _ => day,
    }
}

fn last_weekday_of(year: i32, month: u32, weekday: Weekday) -> Option<NaiveDate> {
    let (next_year, next_month) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
    let mut day = NaiveDate::from_ymd_opt(next_year, next_month, 1)? - Duration::days(1);
    while day.weekday() != weekday {
        day -= Duration::days(1);
    }
    Some(day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        text.parse().expect("a date")
    }

    #[test]
    fn known_holidays_fall_on_their_observed_dates() {
        for day in [
            "2026-01-01", // Thursday
            "2026-01-19", // Martin Luther King Jr. Day, third Monday
            "2026-02-16", // Washington's Birthday
            "2026-05-25", // Memorial Day, last Monday of May
            "2026-06-19", // Juneteenth, a Friday
            "2026-07-03", // July 4 is a Saturday: observed Friday
            "2026-09-07", // Labor Day
            "2026-10-12", // Columbus Day
            "2026-11-11", // Veterans Day
            "2026-11-26", // Thanksgiving, fourth Thursday
            "2026-12-25",
            "2021-12-31", // New Year's Day 2022 is a Saturday: observed the Friday before
            "2022-12-26", // Christmas on a Sunday: observed Monday
            "2023-01-02", // New Year's Day on a Sunday
            "2021-06-18", // the first Juneteenth, a Saturday: observed Friday
            "2024-05-27",
            "2024-11-28",
        ] {
            assert!(is_federal_holiday(d(day)), "{day} is a federal holiday");
        }
        for day in ["2026-11-27", "2020-06-19", "2026-07-04", "2022-12-25", "2026-12-24", "2026-03-02"] {
            assert!(!is_federal_holiday(d(day)), "{day} is not an observed federal holiday");
        }
        assert_eq!(federal_holidays(2026).len(), 11);
        assert_eq!(federal_holidays(2019).len(), 10);
    }

    #[test]
    fn business_days_skip_weekends_and_holidays() {
        assert!(!is_business_day(d("2026-11-21")), "Saturday");
        assert!(!is_business_day(d("2026-11-22")), "Sunday");
        assert!(!is_business_day(d("2026-11-26")), "Thanksgiving");
        assert!(is_business_day(d("2026-11-27")), "the day after Thanksgiving is a working day");
        // A Friday before Thanksgiving: Mon 23, Tue 24, Wed 25, (Thu 26 off), Fri 27, Mon 30 …
        assert_eq!(add_business_days(d("2026-11-20"), 4), d("2026-11-27"));
        assert_eq!(add_business_days(d("2026-11-20"), 10), d("2026-12-07"));
        assert_eq!(add_business_days(d("2026-11-20"), 14), d("2026-12-11"));
        // Across Christmas and New Year 2022/23, both observed on Mondays.
        assert_eq!(add_business_days(d("2022-12-23"), 1), d("2022-12-27"));
        assert_eq!(add_business_days(d("2022-12-30"), 1), d("2023-01-03"));
        assert_eq!(add_business_days(d("2021-12-30"), 1), d("2022-01-03"));
        assert_eq!(add_business_days(d("2026-03-02"), 0), d("2026-03-02"));
    }
}
