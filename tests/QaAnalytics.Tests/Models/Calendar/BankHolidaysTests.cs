using QaAnalytics.Models.Calendar;

namespace QaAnalytics.Tests.Models.Calendar;

public class BankHolidaysTests
{
    private static DateOnly D(int year, int month, int day) => new(year, month, day);

    // The England and Wales lists as published on GOV.UK (www.gov.uk/bank-holidays), written out by
    // hand rather than derived, so the rules in BankHolidays are checked against the real list.
    public static TheoryData<int, DateOnly[]> GovUkLists => new()
    {
        { 2015, [D(2015, 1, 1), D(2015, 4, 3), D(2015, 4, 6), D(2015, 5, 4), D(2015, 5, 25), D(2015, 8, 31), D(2015, 12, 25), D(2015, 12, 28)] },
        // Christmas Day on a Sunday: Boxing Day Monday 26, Christmas substitute Tuesday 27.
        { 2016, [D(2016, 1, 1), D(2016, 3, 25), D(2016, 3, 28), D(2016, 5, 2), D(2016, 5, 30), D(2016, 8, 29), D(2016, 12, 26), D(2016, 12, 27)] },
        { 2017, [D(2017, 1, 2), D(2017, 4, 14), D(2017, 4, 17), D(2017, 5, 1), D(2017, 5, 29), D(2017, 8, 28), D(2017, 12, 25), D(2017, 12, 26)] },
        { 2018, [D(2018, 1, 1), D(2018, 3, 30), D(2018, 4, 2), D(2018, 5, 7), D(2018, 5, 28), D(2018, 8, 27), D(2018, 12, 25), D(2018, 12, 26)] },
        { 2019, [D(2019, 1, 1), D(2019, 4, 19), D(2019, 4, 22), D(2019, 5, 6), D(2019, 5, 27), D(2019, 8, 26), D(2019, 12, 25), D(2019, 12, 26)] },
        // Early May bank holiday moved to Friday 8 May for the 75th anniversary of VE day.
        { 2020, [D(2020, 1, 1), D(2020, 4, 10), D(2020, 4, 13), D(2020, 5, 8), D(2020, 5, 25), D(2020, 8, 31), D(2020, 12, 25), D(2020, 12, 28)] },
        // Christmas Day on a Saturday: substitutes Monday 27 and Tuesday 28.
        { 2021, [D(2021, 1, 1), D(2021, 4, 2), D(2021, 4, 5), D(2021, 5, 3), D(2021, 5, 31), D(2021, 8, 30), D(2021, 12, 27), D(2021, 12, 28)] },
        // Spring bank holiday moved to 2 June, Platinum Jubilee 3 June, State Funeral 19 September.
        { 2022, [D(2022, 1, 3), D(2022, 4, 15), D(2022, 4, 18), D(2022, 5, 2), D(2022, 6, 2), D(2022, 6, 3), D(2022, 8, 29), D(2022, 9, 19), D(2022, 12, 26), D(2022, 12, 27)] },
        // Coronation 8 May.
        { 2023, [D(2023, 1, 2), D(2023, 4, 7), D(2023, 4, 10), D(2023, 5, 1), D(2023, 5, 8), D(2023, 5, 29), D(2023, 8, 28), D(2023, 12, 25), D(2023, 12, 26)] },
        { 2024, [D(2024, 1, 1), D(2024, 3, 29), D(2024, 4, 1), D(2024, 5, 6), D(2024, 5, 27), D(2024, 8, 26), D(2024, 12, 25), D(2024, 12, 26)] },
        { 2025, [D(2025, 1, 1), D(2025, 4, 18), D(2025, 4, 21), D(2025, 5, 5), D(2025, 5, 26), D(2025, 8, 25), D(2025, 12, 25), D(2025, 12, 26)] },
        { 2026, [D(2026, 1, 1), D(2026, 4, 3), D(2026, 4, 6), D(2026, 5, 4), D(2026, 5, 25), D(2026, 8, 31), D(2026, 12, 25), D(2026, 12, 28)] },
        { 2027, [D(2027, 1, 1), D(2027, 3, 26), D(2027, 3, 29), D(2027, 5, 3), D(2027, 5, 31), D(2027, 8, 30), D(2027, 12, 27), D(2027, 12, 28)] },
    };

    [Theory]
    [MemberData(nameof(GovUkLists))]
    public void InYear_PublishedYears_MatchGovUkList(int year, DateOnly[] expected)
    {
        Assert.Equal(expected, BankHolidays.InYear(year).Select(h => h.Date));
    }

    // Proclamations before the GOV.UK list: VE day 50 (1995), Millennium Day (1999), Golden
    // Jubilee (2002), royal weddings (1981, 2011), Diamond Jubilee (2012).
    public static TheoryData<int, DateOnly[]> HistoricLists => new()
    {
        { 1981, [D(1981, 1, 1), D(1981, 4, 17), D(1981, 4, 20), D(1981, 5, 4), D(1981, 5, 25), D(1981, 7, 29), D(1981, 8, 31), D(1981, 12, 25), D(1981, 12, 28)] },
        { 1995, [D(1995, 1, 2), D(1995, 4, 14), D(1995, 4, 17), D(1995, 5, 8), D(1995, 5, 29), D(1995, 8, 28), D(1995, 12, 25), D(1995, 12, 26)] },
        { 1999, [D(1999, 1, 1), D(1999, 4, 2), D(1999, 4, 5), D(1999, 5, 3), D(1999, 5, 31), D(1999, 8, 30), D(1999, 12, 27), D(1999, 12, 28), D(1999, 12, 31)] },
        { 2000, [D(2000, 1, 3), D(2000, 4, 21), D(2000, 4, 24), D(2000, 5, 1), D(2000, 5, 29), D(2000, 8, 28), D(2000, 12, 25), D(2000, 12, 26)] },
        { 2002, [D(2002, 1, 1), D(2002, 3, 29), D(2002, 4, 1), D(2002, 5, 6), D(2002, 6, 3), D(2002, 6, 4), D(2002, 8, 26), D(2002, 12, 25), D(2002, 12, 26)] },
        { 2011, [D(2011, 1, 3), D(2011, 4, 22), D(2011, 4, 25), D(2011, 4, 29), D(2011, 5, 2), D(2011, 5, 30), D(2011, 8, 29), D(2011, 12, 26), D(2011, 12, 27)] },
        { 2012, [D(2012, 1, 2), D(2012, 4, 6), D(2012, 4, 9), D(2012, 5, 7), D(2012, 6, 4), D(2012, 6, 5), D(2012, 8, 27), D(2012, 12, 25), D(2012, 12, 26)] },
    };

    [Theory]
    [MemberData(nameof(HistoricLists))]
    public void InYear_HistoricYears_IncludeProclaimedDays(int year, DateOnly[] expected)
    {
        Assert.Equal(expected, BankHolidays.InYear(year).Select(h => h.Date));
    }

    [Fact]
    public void InYear_2022_IncludesJubileeAndStateFuneral()
    {
        var days = BankHolidays.InYear(2022);
        Assert.Contains((D(2022, 6, 2), "Spring bank holiday"), days);
        Assert.Contains((D(2022, 6, 3), "Platinum Jubilee bank holiday"), days);
        Assert.Contains((D(2022, 9, 19), "Bank Holiday for the State Funeral of Queen Elizabeth II"), days);
        Assert.DoesNotContain(days, h => h.Date == D(2022, 5, 30));
    }

    [Fact]
    public void InYear_2020_EarlyMayMovedToVeDay()
    {
        Assert.Equal("Early May bank holiday (VE day)", BankHolidays.NameOf(D(2020, 5, 8)));
        Assert.Null(BankHolidays.NameOf(D(2020, 5, 4)));
    }

    [Fact]
    public void InYear_2023_IncludesCoronation()
    {
        Assert.Equal("Bank holiday for the coronation of King Charles III", BankHolidays.NameOf(D(2023, 5, 8)));
    }

    [Theory]
    [InlineData(2015)]
    [InlineData(2020)]
    [InlineData(2022)]
    [InlineData(2030)]
    [InlineData(2045)]
    public void InYear_AnyYear_SortedDistinctWeekdays(int year)
    {
        var dates = BankHolidays.InYear(year).Select(h => h.Date).ToList();
        Assert.Equal(dates.Order(), dates);
        Assert.Equal(dates.Count, dates.Distinct().Count());
        Assert.All(dates, d => Assert.True(d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday), $"{d} is a weekend"));
        Assert.All(dates, d => Assert.Equal(year, d.Year));
    }

    [Fact]
    public void InYear_FutureYear_FollowsStandingRules()
    {
        // 2035: 1 Jan Monday; Easter 25 March; 25 December Tuesday.
        DateOnly[] expected =
            [D(2035, 1, 1), D(2035, 3, 23), D(2035, 3, 26), D(2035, 5, 7), D(2035, 5, 28), D(2035, 8, 27), D(2035, 12, 25), D(2035, 12, 26)];
        Assert.Equal(expected, BankHolidays.InYear(2035).Select(h => h.Date));
    }

    [Fact]
    public void InYear_FarFutureYear_DoesNotThrow()
    {
        Assert.Equal(8, BankHolidays.InYear(9999).Count);
    }

    [Theory]
    [InlineData(1977)]
    [InlineData(1900)]
    [InlineData(1)]
    [InlineData(0)]
    [InlineData(10000)]
    public void InYear_UnsupportedYear_Throws(int year)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => BankHolidays.InYear(year));
    }

    [Fact]
    public void InYear_FirstSupportedYear_HasFirstEarlyMay()
    {
        Assert.Equal("Early May bank holiday", BankHolidays.NameOf(D(BankHolidays.FirstSupportedYear, 5, 1)));
    }

    [Theory]
    [InlineData(2016, 12, 26, "Boxing Day")]
    [InlineData(2016, 12, 27, "Christmas Day")]
    [InlineData(2021, 12, 27, "Christmas Day")]
    [InlineData(2021, 12, 28, "Boxing Day")]
    [InlineData(2026, 12, 28, "Boxing Day")]
    [InlineData(2022, 1, 3, "New Year's Day")]
    [InlineData(2024, 3, 29, "Good Friday")]
    [InlineData(2024, 4, 1, "Easter Monday")]
    [InlineData(2025, 8, 25, "Summer bank holiday")]
    public void NameOf_Substitutes_CarryTheHolidayName(int year, int month, int day, string name)
    {
        Assert.Equal(name, BankHolidays.NameOf(D(year, month, day)));
        Assert.True(BankHolidays.IsBankHoliday(D(year, month, day)));
    }

    [Theory]
    [InlineData(2021, 12, 25)]
    [InlineData(2022, 12, 25)]
    [InlineData(2022, 1, 1)]
    [InlineData(2023, 3, 15)]
    public void NameOf_OrdinaryOrWeekendDay_IsNull(int year, int month, int day)
    {
        Assert.Null(BankHolidays.NameOf(D(year, month, day)));
        Assert.False(BankHolidays.IsBankHoliday(D(year, month, day)));
    }

    [Theory]
    [InlineData(1981, 4, 19)]
    [InlineData(2000, 4, 23)]
    [InlineData(2008, 3, 23)]
    [InlineData(2011, 4, 24)]
    [InlineData(2019, 4, 21)]
    [InlineData(2038, 4, 25)]
    [InlineData(2285, 3, 22)]
    public void EasterSunday_KnownYears_Correct(int year, int month, int day)
    {
        Assert.Equal(D(year, month, day), BankHolidays.EasterSunday(year));
    }
}
