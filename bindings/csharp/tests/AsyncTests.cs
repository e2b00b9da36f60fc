using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace Ovo.Tests
{
    /// <summary>PushPaymentAsync, built on ovo_push_payment_async and its callback.</summary>
    internal static class AsyncTests
    {
        [Test]
        public static async Task AnswersAreResults()
        {
            using (var c = Sandbox.Client())
            {
                string paidInvoice = Sandbox.Invoice();
                string declinedInvoice = Sandbox.Invoice();
                string silentInvoice = Sandbox.Invoice();
                Task<Payment> paid = c.PushPaymentAsync(paidInvoice, 1234, Sandbox.CashWallet);
                Task<Payment> declined = c.PushPaymentAsync(declinedInvoice, 1234, Sandbox.DeclineWallet);
                Task<Payment> silent = c.PushPaymentAsync(silentInvoice, 1234, Sandbox.SilentWallet);

                Payment p = await paid;
                PaymentTests.AssertAnswered(p, paidInvoice, 1234, Sandbox.CashWallet);
                Assert.Equal(PaymentOutcome.Paid, p.Outcome, "paid");

                p = await declined;
                PaymentTests.AssertAnswered(p, declinedInvoice, 1234, Sandbox.DeclineWallet);
                Assert.Equal(PaymentOutcome.NotPaid, p.Outcome, "declined");
                Assert.Equal("17", p.ResponseCode, "17");

                p = await silent;
                Assert.Equal(PaymentOutcome.Unknown, p.Outcome, "TIMEOUT is unknown");
                Assert.Equal("68", p.ResponseCode, "68");
            }
            Sandbox.WaitForCallbacks();
        }

        [Test]
        public static void ErrorsFaultTheTaskWithThePayment()
        {
            using (var c = Sandbox.Client(ClosedPort.BaseUrl()))
            {
                var e = Assert.Faults<OvoNotSentException>(c.PushPaymentAsync(Sandbox.Invoice(), 1000, Sandbox.CashWallet), "closed port");
                Assert.NotNull(e.Payment, "payment from the callback");
                Assert.Equal(PaymentOutcome.NotPaid, e.Payment.Outcome, "Outcome");
            }
            using (var server = new FakeServer(request => FakeServer.Http(500, "Internal Server Error", "")))
            using (var c = Sandbox.Client(server.BaseUrl))
            {
                var e = Assert.Faults<OvoOutcomeUnknownException>(c.PushPaymentAsync(Sandbox.Invoice(), 1000, Sandbox.CashWallet), "HTTP 500");
                Assert.Equal(PaymentOutcome.Unknown, e.Payment.Outcome, "unknown, never failed");
                Assert.Equal(500, e.Payment.HttpStatus, "HttpStatus");
            }
            using (var c = Sandbox.Client(secretKey: "SK-not-the-right-one"))
            {
                var e = Assert.Faults<OvoRejectedException>(c.PushPaymentAsync(Sandbox.Invoice(), 1000, Sandbox.CashWallet), "bad secret");
                Assert.Equal(401, e.Payment.HttpStatus, "HttpStatus");
            }
            Sandbox.WaitForCallbacks();
        }

        [Test]
        public static void InvalidArgumentsFaultWithoutSending()
        {
            using (var c = Sandbox.Client())
            {
                int before = OvoClient.PendingCallbacks;
                Task<Payment> t = null;
                t = c.PushPaymentAsync(Sandbox.Invoice(), 0, Sandbox.CashWallet); // must not throw here
                var e = Assert.Faults<OvoInvalidArgumentException>(t, "amount 0");
                Assert.Equal("order.amount", e.Field, "Field");
                Assert.Null(e.Payment, "no payment before anything was sent");
                e = Assert.Faults<OvoInvalidArgumentException>(c.PushPaymentAsync(null, 10, Sandbox.CashWallet), "null invoice");
                Assert.Equal("order.invoice_number", e.Field, "Field");
                e = Assert.Faults<OvoInvalidArgumentException>(c.PushPaymentAsync(Sandbox.Invoice(), 10, "abc"), "bad ovo id");
                Assert.Equal("ovo_info.ovo_id", e.Field, "Field");
                Assert.Equal(before, OvoClient.PendingCallbacks, "no callback left pending");
            }
        }

        [Test]
        public static void ManyConcurrentPayments()
        {
            string[] wallets = { Sandbox.CashWallet, Sandbox.PointsWallet, Sandbox.DeclineWallet, "089900000014", "089900000065" };
            using (var c = Sandbox.Client())
            {
                var pushes = new List<Tuple<string, string, long, Task<Payment>>>();
                for (int i = 0; i < 100; i++)
                {
                    string invoice = Sandbox.Invoice();
                    string wallet = wallets[i % wallets.Length];
                    long amount = 1000 + i;
                    pushes.Add(Tuple.Create(invoice, wallet, amount, c.PushPaymentAsync(invoice, amount, wallet)));
                }
                // Some blocking payments through the same client at the same time.
                Task<Payment>[] blocking = Enumerable.Range(0, 8)
                    .Select(i => Task.Run(() => c.PushPayment(Sandbox.Invoice(), 500, Sandbox.CashWallet)))
                    .ToArray();

                Assert.True(Task.WaitAll(pushes.Select(p => (Task)p.Item4).Concat(blocking).ToArray(), TimeSpan.FromSeconds(60)), "all finish");
                foreach (var push in pushes)
                {
                    Payment p = push.Item4.Result;
                    Assert.Equal(push.Item1, p.InvoiceNumber, "each task gets its own payment");
                    Assert.Equal((long?)push.Item3, p.Amount, "amount");
                    Assert.Equal(push.Item2, p.OvoId, "wallet");
                    PaymentOutcome expected = push.Item2 == Sandbox.CashWallet || push.Item2 == Sandbox.PointsWallet
                        ? PaymentOutcome.Paid : PaymentOutcome.NotPaid;
                    Assert.Equal(expected, p.Outcome, push.Item2 + " outcome");
                }
                Assert.Equal(8, blocking.Count(t => t.Result.Outcome == PaymentOutcome.Paid), "blocking payments");
                Assert.Equal(100, pushes.Select(p => p.Item4.Result.RequestId).Distinct().Count(), "distinct request ids");
            }
            Sandbox.WaitForCallbacks();
        }

        [Test]
        public static void FiveHundredInFlightNeedNoThreads()
        {
            // libovo runs every async push of a client on one I/O thread; the binding blocks none.
            const int count = 500;
            using (var c = Sandbox.Client(Sandbox.HoldUrl))
            {
                int threadsBefore = Process.GetCurrentProcess().Threads.Count;
                Counters before = Sandbox.Stats(Sandbox.HoldUrl);
                var sources = Enumerable.Range(0, count).Select(_ => new CancellationTokenSource()).ToArray();
                Task<Payment>[] tasks = sources
                    .Select(cts => c.PushPaymentAsync(Sandbox.Invoice(), 1000, Sandbox.ManualWallet, cts.Token))
                    .ToArray();
                Sandbox.WaitUntil(() => Sandbox.Stats(Sandbox.HoldUrl).Payments >= before.Payments + count, "every push to reach the sandbox");
                Assert.True(OvoClient.PendingCallbacks >= count, "all in flight: " + OvoClient.PendingCallbacks);
                int threadsInFlight = Process.GetCurrentProcess().Threads.Count;
                Assert.True(threadsInFlight - threadsBefore < 50, "threads: " + threadsBefore + " before, " + threadsInFlight + " with " + count + " in flight");
                foreach (var cts in sources)
                {
                    cts.Cancel();
                }
                Assert.True(Task.WhenAll(tasks).ContinueWith(_ => true).Wait(TimeSpan.FromSeconds(30)), "every cancel ends its task");
                Assert.True(tasks.All(t => t.Exception != null && t.Exception.InnerException is OvoPaymentCanceledException), "all cancelled");
                foreach (var cts in sources)
                {
                    cts.Dispose();
                }
            }
            Sandbox.WaitForCallbacks();
        }

        [Test]
        public static void CallbacksSurviveGarbageCollection()
        {
            using (var c = Sandbox.Client())
            {
                var tasks = new List<Task<Payment>>();
                for (int i = 0; i < 30; i++)
                {
                    tasks.Add(c.PushPaymentAsync(Sandbox.Invoice(), 100 + i, Sandbox.CashWallet));
                    GC.Collect();
                }
                while (!Task.WaitAll(tasks.ToArray(), 5))
                {
                    GC.Collect();
                    GC.WaitForPendingFinalizers();
                }
                Assert.True(tasks.All(t => t.Result.Outcome == PaymentOutcome.Paid), "all paid");
            }
            Sandbox.WaitForCallbacks();
        }

        [Test]
        public static void ContinuationsNeverRunOnTheLibraryThread()
        {
            using (var c = Sandbox.Client())
            {
                // Even a continuation asking to run synchronously is moved off libovo's thread.
                Task<bool> onPool = c.PushPaymentAsync(Sandbox.Invoice(), 1000, Sandbox.CashWallet)
                    .ContinueWith(t => Thread.CurrentThread.IsThreadPoolThread, TaskContinuationOptions.ExecuteSynchronously);
                Assert.True(onPool.Result, "continuation ran on the thread pool");
            }
            Sandbox.WaitForCallbacks();
        }

        [Test]
        public static void CancellingAfterCompletionChangesNothing()
        {
            using (var c = Sandbox.Client())
            using (var cts = new CancellationTokenSource())
            {
                Task<Payment> t = c.PushPaymentAsync(Sandbox.Invoice(), 5000, Sandbox.CashWallet, cts.Token);
                Assert.Equal(PaymentOutcome.Paid, t.Result.Outcome, "paid");
                cts.Cancel();
                Assert.Equal(TaskStatus.RanToCompletion, t.Status, "still completed");
            }
            Sandbox.WaitForCallbacks();
        }
    }
}
