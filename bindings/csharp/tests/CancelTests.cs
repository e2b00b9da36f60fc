using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace Ovo.Tests
{
    /// <summary>A CancellationToken cancels libovo's wait (ovo_payment_cancel); the caller still
    /// gets the unknown payment, and a status check then shows what the customer did. One push
    /// per invoice at a time.</summary>
    internal static class CancelTests
    {
        private static string Hold => Sandbox.HoldUrl;

        private static void AssertCancelled(OvoPaymentCanceledException e, CancellationToken token, string invoice)
        {
            Assert.True(e is OperationCanceledException, "an OperationCanceledException");
            Assert.Equal(token, e.CancellationToken, "CancellationToken");
            Assert.Equal(OvoResult.OutcomeUnknown, e.Result, "Result: it was sent");
            Assert.NotNull(e.Payment, "the payment is carried");
            Assert.True(e.Payment.Cancelled, "Payment.Cancelled");
            Assert.Equal(PaymentOutcome.Unknown, e.Payment.Outcome, "unknown, never not paid");
            Assert.Equal(PaymentKind.Push, e.Payment.Kind, "Kind");
            Assert.Equal(invoice, e.Payment.RequestInvoiceNumber, "RequestInvoiceNumber");
            Assert.True(e.Payment.RequestId.Length == 36, "it was sent: " + e.Payment.RequestId);
            Assert.Contains("may still pay", e.Message, "the message says the customer may still pay");
            Assert.Contains("status", e.Message, "and that the next step is a status check");
            Assert.Contains("cancelled", e.Payment.ToString(), "ToString");
        }

        [Test]
        public static async Task TokenCancelsTheAsyncWaitAndKeepsThePayment()
        {
            using (var c = Sandbox.Client(Hold))
            using (var cts = new CancellationTokenSource())
            {
                string invoice = Sandbox.Invoice();
                Task<Payment> t = c.PushPaymentAsync(invoice, 5000, Sandbox.ManualWallet, cts.Token);
                Sandbox.WaitPending(invoice, Hold);
                cts.Cancel();
                var e = Assert.Faults<OvoPaymentCanceledException>(t, "cancelled");
                AssertCancelled(e, cts.Token, invoice);
                Assert.True(t.IsFaulted, "the task faults (carrying the payment) rather than being bare-cancelled");
                try
                {
                    await t;
                    Assert.True(false, "await must throw");
                }
                catch (OperationCanceledException caught)
                {
                    Assert.True(ReferenceEquals(e, caught), "await throws the same exception");
                }
                Sandbox.WaitForCallbacks(); // the native callback ran and freed its payment

                // The customer pays after the cashier gave up: the status check tells the truth.
                Assert.Equal("PENDING", c.CheckStatus(invoice).TransactionStatus, "still pending");
                Sandbox.Pay(invoice, "cash", Hold);
                Payment s = c.CheckStatus(invoice);
                Assert.Equal(PaymentOutcome.Paid, s.Outcome, "the late payment shows in the status");
                Assert.Equal(e.Payment.RequestId, s.OriginalRequestId, "the cancelled push");
            }
        }

        [Test]
        public static void TokenCancelsTheBlockingWait()
        {
            using (var c = Sandbox.Client(Hold))
            using (var cts = new CancellationTokenSource())
            {
                string invoice = Sandbox.Invoice();
                Counters before = Sandbox.Stats(Hold);
                Task<Payment> t = Task.Run(() => c.PushPayment(invoice, 6000, Sandbox.ManualWallet, cts.Token));
                Sandbox.WaitPending(invoice, Hold);
                cts.Cancel();
                AssertCancelled(Assert.Faults<OvoPaymentCanceledException>(t, "cancelled"), cts.Token, invoice);
                Assert.Equal(before.Payments + 1, Sandbox.Stats(Hold).Payments, "one push");
                // The customer declines after all: the status check says not paid.
                Sandbox.Decline(invoice, Hold);
                Assert.Equal(PaymentOutcome.NotPaid, c.CheckStatus(invoice).Outcome, "declined later");
            }
        }

        [Test]
        public static void AlreadyCancelledTokenSendsNothing()
        {
            using (var c = Sandbox.Client(Hold))
            using (var cts = new CancellationTokenSource())
            {
                cts.Cancel();
                Counters before = Sandbox.Stats(Hold);
                int pending = OvoClient.PendingCallbacks;
                string asyncInvoice = Sandbox.Invoice();
                Task<Payment> t = c.PushPaymentAsync(asyncInvoice, 5000, Sandbox.ManualWallet, cts.Token);
                Assert.True(t.IsCompleted, "ends at once");
                var e = Assert.Faults<OvoPaymentCanceledException>(t, "async");
                string blockingInvoice = Sandbox.Invoice();
                var b = Assert.Throws<OvoPaymentCanceledException>(
                    () => c.PushPayment(blockingInvoice, 5000, Sandbox.ManualWallet, cts.Token), "blocking");
                foreach (OvoPaymentCanceledException x in new[] { e, b })
                {
                    Assert.Equal(OvoResult.NotSent, x.Result, "nothing left: NOT_SENT");
                    Assert.Equal(PaymentOutcome.NotPaid, x.Payment.Outcome, "never sent, not paid");
                    Assert.True(x.Payment.Cancelled, "Cancelled");
                    Assert.Equal(cts.Token, x.CancellationToken, "CancellationToken");
                }
                Assert.Equal(pending, OvoClient.PendingCallbacks, "no async call was started");
                Assert.Equal(before.Payments, Sandbox.Stats(Hold).Payments, "nothing reached the sandbox");
                Assert.True(c.CheckStatus(asyncInvoice).NotFound && c.CheckStatus(blockingInvoice).NotFound, "DOKU never saw them");
            }
        }

        [Test]
        public static void CancelAfterTheAnswerChangesNothing()
        {
            using (var c = Sandbox.Client())
            using (var cts = new CancellationTokenSource())
            {
                Payment p = c.PushPayment(Sandbox.Invoice(), 5000, Sandbox.CashWallet, cts.Token);
                cts.Cancel();
                Assert.Equal(PaymentOutcome.Paid, p.Outcome, "paid");
                Assert.True(!p.Cancelled, "not cancelled");
            }
        }

        [Test]
        public static void CancelRacingTheAnswerCompletesEachTaskOnce()
        {
            using (var c = Sandbox.Client())
            {
                var runs = new List<Tuple<CancellationTokenSource, Task<Payment>>>();
                for (int i = 0; i < 300; i++)
                {
                    var cts = new CancellationTokenSource();
                    Task<Payment> t = c.PushPaymentAsync(Sandbox.Invoice(), 1000 + i, Sandbox.CashWallet, cts.Token);
                    if (i % 3 == 0)
                    {
                        cts.Cancel(); // at once: may beat the token registration and the request
                    }
                    else if (i % 3 == 2)
                    {
                        // When the previous push (never cancelled) gets its answer: around the
                        // moment this one's answer comes.
                        runs[i - 1].Item2.ContinueWith(_ => cts.Cancel(), TaskContinuationOptions.ExecuteSynchronously);
                    }
                    runs.Add(Tuple.Create(cts, t));
                }
                Assert.True(Task.WhenAll(runs.Select(r => (Task)r.Item2)).ContinueWith(_ => true).Wait(TimeSpan.FromSeconds(60)), "all end");
                int paid = 0, cancelled = 0;
                foreach (var r in runs)
                {
                    r.Item1.Cancel(); // the rest: after the answer, changes nothing
                    if (r.Item2.Status == TaskStatus.RanToCompletion)
                    {
                        Assert.Equal(PaymentOutcome.Paid, r.Item2.Result.Outcome, "an answer that came first");
                        Assert.True(!r.Item2.Result.Cancelled, "not cancelled");
                        paid++;
                    }
                    else
                    {
                        var e = r.Item2.Exception.InnerException as OvoPaymentCanceledException;
                        Assert.NotNull(e, "a cancel: " + r.Item2.Exception.InnerException);
                        Assert.True(e.Payment.Cancelled, "Cancelled");
                        Assert.Equal(r.Item1.Token, e.CancellationToken, "its own token");
                        cancelled++;
                    }
                }
                Assert.Equal(runs.Count, paid + cancelled, "every task ended once");
                Assert.True(cancelled > 0 && paid >= 100, "cancels won " + cancelled + ", answers " + paid);
                Console.WriteLine("      cancel race: " + cancelled + " cancelled first, " + paid + " answered first");
            }
            Sandbox.WaitForCallbacks();
        }

        [Test]
        public static void SecondPushOfAnInvoiceInFlightIsRefusedNothingSent()
        {
            using (var c = Sandbox.Client(Hold))
            {
                string invoice = Sandbox.Invoice();
                Task<Payment> first = c.PushPaymentAsync(invoice, 5000, Sandbox.ManualWallet);
                Sandbox.WaitPending(invoice, Hold);
                Counters before = Sandbox.Stats(Hold);

                var e = Assert.Throws<OvoInFlightException>(() => c.PushPayment(invoice, 5000, Sandbox.ManualWallet), "blocking");
                Assert.Equal(OvoResult.InFlight, e.Result, "Result");
                Assert.Equal(PaymentOutcome.Unknown, e.Payment.Outcome, "unknown until the first push ends");
                Assert.Equal("", e.Payment.RequestId, "nothing sent");
                Assert.Contains("in flight", e.Message, "message");
                var a = Assert.Faults<OvoInFlightException>(c.PushPaymentAsync(invoice, 5000, Sandbox.ManualWallet), "async");
                Assert.NotNull(a.Payment, "a refusal through the callback carries its payment");
                Assert.Equal(before.Payments, Sandbox.Stats(Hold).Payments, "the refused pushes sent nothing");

                Sandbox.Pay(invoice, "cash", Hold);
                Assert.Equal(PaymentOutcome.Paid, first.Result.Outcome, "the first push decides");
            }
            Sandbox.WaitForCallbacks();
        }
    }
}
