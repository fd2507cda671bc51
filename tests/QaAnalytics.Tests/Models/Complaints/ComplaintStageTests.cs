using QaAnalytics.Models.Calendar;
using QaAnalytics.Models.Complaints;

namespace QaAnalytics.Tests.Models.Complaints;

public class ComplaintStageTests
{
    [Fact]
    public void All_StatutoryTimescales_MatchRepresentationsProcedure()
    {
        Assert.Equal(["1", "2", "3", "LGSCO"], ComplaintStage.All.Select(s => s.Code));
        Assert.Equal((10, 20), (ComplaintStage.Stage1.ResponseWorkingDays, ComplaintStage.Stage1.ExtendedWorkingDays));
        Assert.Equal((25, 65), (ComplaintStage.Stage2.ResponseWorkingDays, ComplaintStage.Stage2.ExtendedWorkingDays));
        Assert.Equal(30, ComplaintStage.Stage3.ResponseWorkingDays);
        Assert.Null(ComplaintStage.Lgsco.ResponseWorkingDays);
    }

    [Fact]
    public void Stage1_ReceivedFriday16Sep2022_DueAndExtendedDates()
    {
        var received = new DateOnly(2022, 9, 16);
        Assert.Equal(new DateOnly(2022, 10, 3), WorkingDays.AddWorkingDays(received, ComplaintStage.Stage1.ResponseWorkingDays!.Value));
        // Extended: Mon 3 Oct is day 10; 4–7 Oct (14), 10–14 Oct (19), Mon 17 Oct (20).
        Assert.Equal(new DateOnly(2022, 10, 17), WorkingDays.AddWorkingDays(received, ComplaintStage.Stage1.ExtendedWorkingDays!.Value));
    }

    [Fact]
    public void Vocabulary_RecordTypes_AreContractSpellings()
    {
        Assert.Equal(["complaint", "compliment", "mp_enquiry"], ComplaintVocabulary.RecordTypes);
        Assert.Contains("partly upheld", ComplaintVocabulary.Outcomes);
    }
}
