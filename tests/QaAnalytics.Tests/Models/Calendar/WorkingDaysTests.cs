using QaAnalytics.Models.Calendar;

namespace QaAnalytics.Tests.Models.Calendar;

public class WorkingDaysTests
{
    private static DateOnly D(int year, int month, int day) => new(year, month, day);

    [Theory]
    [InlineData(2022, 9, 19)] // State funeral
    [InlineData(2022, 6, 2)]
    [InlineData(2022, 6, 3)]
    [InlineData(2023, 5, 8)] // Coronation
    [InlineData(2021, 12, 28)]
    [InlineData(2022, 9, 17)] // Saturday
    [InlineData(2022, 9, 18)] // Sunday
    public void IsWorkingDay_HolidayOrWeekend_False(int year, int month, int day)
    {
        Assert.False(WorkingDays.IsWorkingDay(D(year, month, day)));
    }

    [Theory]
    [InlineData(2022, 9, 16)]
    [InlineData(2022, 9, 20)]
    [InlineData(2022, 5, 30)] // the usual spring bank holiday Monday, moved in 2022
    [InlineData(2020, 5, 4)] // the usual early May Monday, moved to VE day in 2020
    public void IsWorkingDay_OrdinaryWeekday_True(int year, int month, int day)
    {
        Assert.True(WorkingDays.IsWorkingDay(D(year, month, day)));
    }

    // Complaint received Friday 16 September 2022, stage 1 response due in 10 working days.
    // Day 0 is the day of receipt. Mon 19 Sep is the State Funeral bank holiday, so:
    // Tue 20 (1), Wed 21 (2), Thu 22 (3), Fri 23 (4), Mon 26 (5), Tue 27 (6), Wed 28 (7),
    // Thu 29 (8), Fri 30 (9), Mon 3 Oct (10).
    [Fact]
    public void AddWorkingDays_ComplaintReceived16Sep2022_Stage1DueMonday3Oct()
    {
        Assert.Equal(D(2022, 10, 3), WorkingDays.AddWorkingDays(D(2022, 9, 16), 10));
    }

    // Tue 31 May 2022 + 5: Wed 1 Jun (1), Thu 2 and Fri 3 Jun are the moved spring bank holiday and
    // the Platinum Jubilee, Mon 6 (2), Tue 7 (3), Wed 8 (4), Thu 9 (5).
    [Fact]
    public void AddWorkingDays_AcrossPlatinumJubilee_SkipsBothDays()
    {
        Assert.Equal(D(2022, 6, 9), WorkingDays.AddWorkingDays(D(2022, 5, 31), 5));
    }

    // Thu 6 Apr 2023 + 10: Good Friday 7 and Easter Monday 10 skipped; Tue 11 (1) … Fri 14 (4),
    // Mon 17 (5) … Fri 21 (9), Mon 24 (10).
    [Fact]
    public void AddWorkingDays_AcrossEaster2023_SkipsGoodFridayAndEasterMonday()
    {
        Assert.Equal(D(2023, 4, 24), WorkingDays.AddWorkingDays(D(2023, 4, 6), 10));
    }

    // Fri 23 Dec 2022 + 10: Mon 26 and Tue 27 Dec are holidays (Christmas Day fell on a Sunday);
    // Wed 28 (1), Thu 29 (2), Fri 30 (3); Mon 2 Jan 2023 is the New Year substitute; Tue 3 (4) …
    // Fri 6 (7), Mon 9 (8), Tue 10 (9), Wed 11 (10).
    [Fact]
    public void AddWorkingDays_AcrossChristmas2022_SkipsSubstituteDays()
    {
        Assert.Equal(D(2023, 1, 11), WorkingDays.AddWorkingDays(D(2022, 12, 23), 10));
    }

    // Fri 24 Dec 2021 + 5: Mon 27 and Tue 28 are substitutes (Christmas on a Saturday); Wed 29 (1),
    // Thu 30 (2), Fri 31 (3); Mon 3 Jan 2022 is the New Year substitute; Tue 4 (4), Wed 5 (5).
    [Fact]
    public void AddWorkingDays_AcrossChristmas2021_SkipsSubstituteDays()
    {
        Assert.Equal(D(2022, 1, 5), WorkingDays.AddWorkingDays(D(2021, 12, 24), 5));
    }

    // Referral Mon 3 Apr 2023, assessment due in 45 working days. April: 4–6 (3), Easter 7 and 10
    // skipped, 11–14 (7), 17–21 (12), 24–28 (17); May: 1 holiday, 2–5 (21), 8 coronation,
    // 9–12 (25), 15–19 (30), 22–26 (35), 29 spring holiday, 30–31 (37); June: 1–2 (39),
    // 5–9 (44), Mon 12 (45).
    [Fact]
    public void AddWorkingDays_Assessment45DaysFromReferral3Apr2023_DueMonday12June()
    {
        Assert.Equal(D(2023, 6, 12), WorkingDays.AddWorkingDays(D(2023, 4, 3), 45));
    }

    // Stage 2 request Mon 15 Dec 2025, 25 working days: 16–19 (4), 22–24 (7), 25 and 26 holidays,
    // 29–31 (10), 1 Jan holiday, Fri 2 (11), 5–9 (16), 12–16 (21), 19–22 (25): Thu 22 Jan 2026.
    [Fact]
    public void AddWorkingDays_Stage2From15Dec2025_DueThursday22Jan2026()
    {
        Assert.Equal(D(2026, 1, 22), WorkingDays.AddWorkingDays(D(2025, 12, 15), 25));
    }

    [Fact]
    public void AddWorkingDays_OneDayBeforeCoronation_SkipsToTuesday()
    {
        Assert.Equal(D(2023, 5, 9), WorkingDays.AddWorkingDays(D(2023, 5, 5), 1));
    }

    [Fact]
    public void AddWorkingDays_StartOnWeekend_CountsFromNextWorkingDay()
    {
        // Saturday 17 Sep 2022: Sunday and the funeral Monday do not count; Tuesday 20 is day 1.
        Assert.Equal(D(2022, 9, 20), WorkingDays.AddWorkingDays(D(2022, 9, 17), 1));
    }

    [Fact]
    public void AddWorkingDays_Zero_ReturnsStart()
    {
        Assert.Equal(D(2022, 9, 17), WorkingDays.AddWorkingDays(D(2022, 9, 17), 0));
    }

    [Fact]
    public void AddWorkingDays_Negative_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => WorkingDays.AddWorkingDays(D(2022, 9, 16), -1));
    }

    [Theory]
    [InlineData(2022, 9, 16, 2022, 10, 3, 10)]
    [InlineData(2022, 12, 23, 2023, 1, 11, 10)]
    [InlineData(2023, 4, 3, 2023, 6, 12, 45)]
    [InlineData(2022, 9, 16, 2022, 9, 19, 0)] // funeral Monday is not a working day
    [InlineData(2022, 9, 16, 2022, 9, 20, 1)]
    [InlineData(2022, 9, 16, 2022, 9, 16, 0)]
    [InlineData(2022, 10, 3, 2022, 9, 16, 0)] // end before start
    public void Between_HandWorkedExamples(int y1, int m1, int d1, int y2, int m2, int d2, int expected)
    {
        Assert.Equal(expected, WorkingDays.Between(D(y1, m1, d1), D(y2, m2, d2)));
    }

    // 2022 and 2023 each have 260 weekdays; 2022 has 10 bank holidays, 2023 has 9, all on weekdays.
    [Theory]
    [InlineData(2022, 250)]
    [InlineData(2023, 251)]
    public void Between_WholeYear_WeekdaysLessBankHolidays(int year, int expected)
    {
        Assert.Equal(expected, WorkingDays.Between(D(year - 1, 12, 31), D(year, 12, 31)));
    }

    public static TheoryData<DateOnly, int> InverseCases()
    {
        var data = new TheoryData<DateOnly, int>();
        DateOnly[] starts =
        [
            D(2020, 5, 7), D(2021, 12, 24), D(2021, 12, 25), D(2022, 4, 14), D(2022, 5, 31),
            D(2022, 9, 16), D(2022, 9, 18), D(2023, 5, 5), D(2024, 3, 28), D(2026, 12, 24),
        ];
        foreach (var start in starts)
        {
            foreach (var n in new[] { 0, 1, 5, 10, 20, 25, 45, 65 }) data.Add(start, n);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(InverseCases))]
    public void Between_OfAddWorkingDays_IsInverse(DateOnly start, int days)
    {
        var due = WorkingDays.AddWorkingDays(start, days);
        Assert.Equal(days, WorkingDays.Between(start, due));
        if (days > 0)
        {
            Assert.True(WorkingDays.IsWorkingDay(due));
            Assert.Equal(days - 1, WorkingDays.Between(start, due.AddDays(-1)));
        }
    }

    [Fact]
    public void AddWorkingDays_OfBetween_IsLastWorkingDayOnOrBeforeEnd()
    {
        var start = D(2022, 9, 16);
        for (var end = start; end <= D(2023, 1, 31); end = end.AddDays(1))
        {
            var back = WorkingDays.AddWorkingDays(start, WorkingDays.Between(start, end));
            Assert.True(back <= end);
            if (WorkingDays.IsWorkingDay(end)) Assert.Equal(end, back);
        }
    }

    [Fact]
    public void AddWorkingDays_OutsideDimensionRange_Works()
    {
        // Fri 24 Dec 1999 + 3: Mon 27 and Tue 28 substitutes, Wed 29 (1), Thu 30 (2), Fri 31 Millennium
        // Day, Mon 3 Jan 2000 New Year substitute, Tue 4 (3).
        Assert.Equal(D(2000, 1, 4), WorkingDays.AddWorkingDays(D(1999, 12, 24), 3));
        // 2040: standing rules only. Christmas Tuesday, Boxing Wednesday.
        Assert.Equal(D(2040, 12, 27), WorkingDays.AddWorkingDays(D(2040, 12, 24), 1));
    }

    [Fact]
    public void IsWorkingDay_BeforeFirstSupportedYear_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => WorkingDays.IsWorkingDay(D(1977, 6, 7)));
    }
}
