using System;
using System.Threading.Tasks;

namespace Ovo.Tests
{
    /// <summary>Settling an unknown outcome: the unsettled refusal, reconcile turning a late
    /// payment into PAID, and HTTP 408/409 on a push.</summary>
    internal static class SettleTests
    {
        private static OvoClient Reconciling(TimeSpan maxWait)
        {
            // The push gives up after 300 ms; the sandbox keeps it payable for 60 s.
            return Sandbox.Client(Sandbox.HoldUrl, TimeSpan.FromMilliseconds(300), configure: o =>
            {
                o.ReconcileFirstDelay = TimeSpan.Zero;
                o.ReconcileMaxWait = maxWait;
            });
        }

        [Test]
        public static async Task ReconcileTurnsALatePaymentIntoPaid()
        {
            using (var c = Reconciling(TimeSpan.FromSeconds(20)))
            {
                string invoice = Sandbox.Invoice();
                Counters before = Sandbox.Stats(Sandbox.HoldUrl);
                Task<Payment> push = c.PushPaymentAsync(invoice, 15000, Sandbox.ManualWallet);
                // The client gave up on the push; the first check says PENDING; then the customer pays.
                Sandbox.WaitUntil(() => Sandbox.Stats(Sandbox.HoldUrl).StatusChecks > before.StatusChecks, "a PENDING status check");
                Assert.True(!push.IsCompleted, "still reconciling");
                Sandbox.Pay(invoice, "cash", Sandbox.HoldUrl);

                Payment p = await push; // decided by a status check: a result, not an exception
                Assert.Equal(PaymentKind.Push, p.Kind, "Kind");
                Assert.Equal(OvoResult.OutcomeUnknown, p.Result, "the push itself got no answer");
                Assert.Equal(PaymentOutcome.Paid, p.Outcome, "the last check's outcome");
                Assert.NotNull(p.LastCheck, "LastCheck");
                Assert.Equal(PaymentKind.StatusCheck, p.LastCheck.Kind, "LastCheck.Kind");
                Assert.Equal(PaymentOutcome.Paid, p.LastCheck.Outcome, "LastCheck.Outcome");
                Assert.Equal(OvoResult.Ok, p.LastCheck.Result, "LastCheck.Result");
                Assert.Equal("SUCCESS", p.TransactionStatus, "status fields fall through to the last check");
                Assert.Equal((long?)15000, p.CheckAmount, "CheckAmount");
                Assert.Equal(p.RequestId, p.OriginalRequestId, "the check found this push");
                Assert.Null(p.Status, "the push got no answer of its own");
                Assert.True(!p.Cancelled, "not cancelled");

                Counters after = Sandbox.Stats(Sandbox.HoldUrl);
                Assert.Equal(before.Payments + 1, after.Payments, "never pushed again");
                Assert.True(after.StatusChecks >= before.StatusChecks + 2, "PENDING, then SUCCESS");
            }
            Sandbox.WaitForCallbacks();
        }

        [Test]
        public static void ReconcileThatNeverDecidesStaysUnknown()
        {
            using (var c = Reconciling(TimeSpan.FromMilliseconds(1500)))
            {
                string invoice = Sandbox.Invoice();
                var e = Assert.Throws<OvoOutcomeUnknownException>(() => c.PushPayment(invoice, 1700, Sandbox.ManualWallet), "still pending");
                Assert.Equal(PaymentOutcome.Unknown, e.Payment.Outcome, "still unknown");
                Assert.NotNull(e.Payment.LastCheck, "the last check is kept");
                Assert.Equal("PENDING", e.Payment.LastCheck.TransactionStatus, "LastCheck.TransactionStatus");
                Assert.Equal("PENDING", e.Payment.TransactionStatus, "falls through");
                Sandbox.Decline(invoice, Sandbox.HoldUrl);
            }
        }

        [Test]
        public static void UnsettledInvoiceIsRefusedUntilACheckSettlesIt()
        {
            using (var c = Sandbox.Client(Sandbox.HoldUrl, TimeSpan.FromMilliseconds(300)))
            {
                string invoice = Sandbox.Invoice();
                Counters before = Sandbox.Stats(Sandbox.HoldUrl);
                var first = Assert.Throws<OvoOutcomeUnknownException>(() => c.PushPayment(invoice, 9000, Sandbox.ManualWallet), "gave up");
                Assert.Equal(PaymentOutcome.Unknown, first.Payment.Outcome, "unknown");

                var refused = Assert.Throws<OvoUnsettledException>(() => c.PushPayment(invoice, 9000, Sandbox.ManualWallet), "unsettled");
                Assert.Equal(OvoResult.Unsettled, refused.Result, "Result");
                Assert.Equal(PaymentOutcome.Unknown, refused.Payment.Outcome, "refused, still unknown");
                Assert.Equal("", refused.Payment.RequestId, "nothing sent");
                var async = Assert.Faults<OvoUnsettledException>(c.PushPaymentAsync(invoice, 9000, Sandbox.ManualWallet), "async");
                Assert.NotNull(async.Payment, "a refusal through the callback carries its payment");
                Assert.Equal(before.Payments + 1, Sandbox.Stats(Sandbox.HoldUrl).Payments, "the refusals sent nothing");

                // PENDING decides nothing: still refused.
                Assert.Equal("PENDING", c.CheckStatus(invoice).TransactionStatus, "PENDING");
                Assert.Throws<OvoUnsettledException>(() => c.PushPayment(invoice, 9000, Sandbox.ManualWallet), "PENDING settles nothing");

                Sandbox.Decline(invoice, Sandbox.HoldUrl);
                Assert.Equal(PaymentOutcome.NotPaid, c.CheckStatus(invoice).Outcome, "declined");
                // Settled: libovo lets the push through, and DOKU refuses the used invoice (40).
                var again = Assert.Throws<OvoOutcomeUnknownException>(() => c.PushPayment(invoice, 9000, Sandbox.ManualWallet), "40");
                Assert.Equal("40", again.Payment.ResponseCode, "ResponseCode");
                Assert.Equal(before.Payments + 2, Sandbox.Stats(Sandbox.HoldUrl).Payments, "sent once more");
            }
            Sandbox.WaitForCallbacks();
        }

        [Test]
        public static void Push408And409AreUnknownOther4xxRejected()
        {
            foreach (var @case in new[]
            {
                Tuple.Create(408, "Request Timeout", true),
                Tuple.Create(409, "Conflict", true),
                Tuple.Create(400, "Bad Request", false),
                Tuple.Create(422, "Unprocessable Entity", false),
                Tuple.Create(429, "Too Many Requests", false),
            })
            {
                using (var server = new FakeServer(request => FakeServer.Http(@case.Item1, @case.Item2, "{}")))
                using (var c = Sandbox.Client(server.BaseUrl))
                {
                    string invoice = Sandbox.Invoice();
                    if (@case.Item3)
                    {
                        var e = Assert.Throws<OvoOutcomeUnknownException>(() => c.PushPayment(invoice, 1000, Sandbox.CashWallet), "HTTP " + @case.Item1);
                        Assert.Equal(PaymentOutcome.Unknown, e.Payment.Outcome, "HTTP " + @case.Item1 + " may have been paid");
                    }
                    else
                    {
                        var e = Assert.Throws<OvoRejectedException>(() => c.PushPayment(invoice, 1000, Sandbox.CashWallet), "HTTP " + @case.Item1);
                        Assert.Equal(PaymentOutcome.NotPaid, e.Payment.Outcome, "HTTP " + @case.Item1 + " is not paid");
                    }
                    Assert.Equal(1, server.Requests, "sent once, never retried");
                }
            }
        }
    }
}
