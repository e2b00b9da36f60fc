using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace Ovo.Tests
{
    /// <summary>OvoLog.SetHandler (ovo_set_log_callback, process-wide): the lines, their levels,
    /// no secret, and a handler that can neither crash libovo nor be collected.</summary>
    internal static class LogTests
    {
        /// <summary>Lines a handler received, thread-safe.</summary>
        private sealed class Capture
        {
            private readonly List<Tuple<OvoLogLevel, string>> lines = new List<Tuple<OvoLogLevel, string>>();

            public void Add(OvoLogLevel level, string line)
            {
                lock (lines)
                {
                    lines.Add(Tuple.Create(level, line));
                }
            }

            public List<Tuple<OvoLogLevel, string>> Lines
            {
                get
                {
                    lock (lines)
                    {
                        return lines.ToList();
                    }
                }
            }

            public bool Has(OvoLogLevel level, params string[] needles)
            {
                return Lines.Any(l => l.Item1 == level && needles.All(n => l.Item2.Contains(n)));
            }

            /// <summary>Waits (polling, with a deadline) for a line: libovo may log on its own threads.</summary>
            public void WaitFor(OvoLogLevel level, params string[] needles)
            {
                Sandbox.WaitUntil(() => Has(level, needles),
                    level + " line with " + string.Join(", ", needles) + "; got:\n  " +
                    string.Join("\n  ", Lines.Select(l => l.Item1 + " " + l.Item2)), 10);
            }
        }

        private static Capture Install(OvoLogLevel min)
        {
            var capture = new Capture();
            OvoLog.SetHandler(min, capture.Add); // only libovo holds the delegate now
            return capture;
        }

        [Test]
        public static void RequestsAnswersErrorsAndCancelsAreLoggedWithoutSecrets()
        {
            try
            {
                Capture log = Install(OvoLogLevel.Debug);
                GC.Collect();
                GC.WaitForPendingFinalizers();
                string paidInvoice = Sandbox.Invoice();
                string cancelInvoice = Sandbox.Invoice();
                Payment paid;
                using (var c = Sandbox.Client())
                {
                    paid = c.PushPayment(paidInvoice, 10000, Sandbox.CashWallet);
                    Assert.Equal(PaymentOutcome.Paid, paid.Outcome, "paid");
                    Assert.Equal(PaymentOutcome.Paid, c.CheckStatus(paidInvoice).Outcome, "checked");
                }
                using (var c = Sandbox.Client(ClosedPort.BaseUrl()))
                {
                    Assert.Throws<OvoNotSentException>(() => c.PushPayment(Sandbox.Invoice(), 10000, Sandbox.CashWallet), "not sent");
                }
                using (var c = Sandbox.Client(Sandbox.HoldUrl))
                using (var cts = new CancellationTokenSource())
                {
                    Task<Payment> t = c.PushPaymentAsync(cancelInvoice, 5000, Sandbox.ManualWallet, cts.Token);
                    Sandbox.WaitPending(cancelInvoice, Sandbox.HoldUrl);
                    cts.Cancel();
                    Assert.Faults<OvoPaymentCanceledException>(t, "cancelled");
                    Sandbox.Decline(cancelInvoice, Sandbox.HoldUrl);
                }

                log.WaitFor(OvoLogLevel.Info, "push: sending invoice=" + paidInvoice + " amount=10000 request_id=" + paid.RequestId);
                log.WaitFor(OvoLogLevel.Info, "push: invoice=" + paidInvoice + " request_id=" + paid.RequestId,
                    "result=OK outcome=PAID http=200 status=SUCCESS code=00 elapsed_ms=");
                log.WaitFor(OvoLogLevel.Info, "status check: sending invoice=" + paidInvoice);
                log.WaitFor(OvoLogLevel.Info, "status check: invoice=" + paidInvoice);
                log.WaitFor(OvoLogLevel.Error, "result=NOT_SENT");
                log.WaitFor(OvoLogLevel.Warn, "invoice=" + cancelInvoice, "cancelled");

                string checksum = Checksum.Compute(10000, Sandbox.ClientId, paidInvoice, Sandbox.CashWallet, Sandbox.SecretKey);
                string[] secrets =
                {
                    Sandbox.SecretKey, Sandbox.SecretKey.Substring(0, 8), checksum, "HMACSHA256=",
                    Sandbox.CashWallet, Sandbox.ManualWallet,
                };
                foreach (var line in log.Lines)
                {
                    Assert.True(Enum.IsDefined(typeof(OvoLogLevel), line.Item1), "a known level: " + line.Item1);
                    foreach (string secret in secrets)
                    {
                        Assert.DoesNotContain(secret, line.Item2, "log line");
                    }
                }
            }
            finally
            {
                OvoLog.SetHandler(OvoLogLevel.Debug, null);
            }
        }

        [Test]
        public static void MinimumLevelFiltersAndNullTurnsItOff()
        {
            try
            {
                Capture log = Install(OvoLogLevel.Error);
                using (var c = Sandbox.Client())
                {
                    Assert.Equal(PaymentOutcome.Paid, c.PushPayment(Sandbox.Invoice(), 1000, Sandbox.CashWallet).Outcome, "paid");
                }
                using (var c = Sandbox.Client(ClosedPort.BaseUrl()))
                {
                    Assert.Throws<OvoNotSentException>(() => c.PushPayment(Sandbox.Invoice(), 1000, Sandbox.CashWallet), "not sent");
                }
                log.WaitFor(OvoLogLevel.Error, "result=NOT_SENT");
                Assert.True(log.Lines.All(l => l.Item1 == OvoLogLevel.Error), "only ERROR lines: " + string.Join(" | ", log.Lines.Select(l => l.Item2)));

                OvoLog.SetHandler(OvoLogLevel.Debug, null);
                int before = log.Lines.Count;
                using (var c = Sandbox.Client(ClosedPort.BaseUrl()))
                {
                    Assert.Throws<OvoNotSentException>(() => c.PushPayment(Sandbox.Invoice(), 1000, Sandbox.CashWallet), "not sent");
                }
                Assert.Equal(before, log.Lines.Count, "no handler, no lines (SetHandler returned: the old one is not running)");
            }
            finally
            {
                OvoLog.SetHandler(OvoLogLevel.Debug, null);
            }
        }

        [Test]
        public static void ReplacingStopsTheOldHandler()
        {
            try
            {
                Capture first = Install(OvoLogLevel.Debug);
                Capture second = Install(OvoLogLevel.Debug);
                int before = first.Lines.Count;
                using (var c = Sandbox.Client())
                {
                    c.PushPayment(Sandbox.Invoice(), 1000, Sandbox.CashWallet);
                }
                second.WaitFor(OvoLogLevel.Info, "push: sending");
                Assert.Equal(before, first.Lines.Count, "the replaced handler gets nothing");
            }
            finally
            {
                OvoLog.SetHandler(OvoLogLevel.Debug, null);
            }
        }

        [Test]
        public static void ThrowingHandlerNeverReachesLibovo()
        {
            try
            {
                int calls = 0;
                OvoLog.SetHandler(OvoLogLevel.Debug, (level, line) =>
                {
                    Interlocked.Increment(ref calls);
                    throw new InvalidOperationException("a broken log handler");
                });
                using (var c = Sandbox.Client())
                {
                    Payment p = c.PushPayment(Sandbox.Invoice(), 1000, Sandbox.CashWallet);
                    Assert.Equal(PaymentOutcome.Paid, p.Outcome, "the payment is unharmed");
                    Payment a = c.PushPaymentAsync(Sandbox.Invoice(), 1000, Sandbox.CashWallet).Result;
                    Assert.Equal(PaymentOutcome.Paid, a.Outcome, "async too");
                }
                Sandbox.WaitUntil(() => Volatile.Read(ref calls) >= 4, "the handler to be called");
            }
            finally
            {
                OvoLog.SetHandler(OvoLogLevel.Debug, null);
            }
            Sandbox.WaitForCallbacks();
        }

        [Test]
        public static void RefusalsChangeNothing()
        {
            try
            {
                Capture log = Install(OvoLogLevel.Info);
                foreach (uint bad in new uint[] { 0, 5, 99 })
                {
                    var e = Assert.Throws<OvoInvalidArgumentException>(
                        () => OvoLog.SetHandler((OvoLogLevel)bad, (l, m) => { }), "level " + bad);
                    Assert.Equal("min_level", e.Field, "Field");
                    Assert.Contains(bad.ToString(), e.Message, "message names the value");
                }
                using (var c = Sandbox.Client())
                {
                    string invoice = Sandbox.Invoice();
                    c.CheckStatus(invoice);
                    log.WaitFor(OvoLogLevel.Info, "status check: sending invoice=" + invoice); // still installed
                }
                // From inside a handler: refused (it would wait for itself), and no deadlock.
                var refusals = new List<Exception>();
                OvoLog.SetHandler(OvoLogLevel.Info, (level, line) =>
                {
                    log.Add(level, line);
                    try
                    {
                        OvoLog.SetHandler(OvoLogLevel.Info, null);
                    }
                    catch (Exception e)
                    {
                        lock (refusals)
                        {
                            refusals.Add(e);
                        }
                    }
                });
                using (var c = Sandbox.Client())
                {
                    c.CheckStatus(Sandbox.Invoice());
                    string invoice = Sandbox.Invoice();
                    c.CheckStatus(invoice);
                    log.WaitFor(OvoLogLevel.Info, "status check: sending invoice=" + invoice);
                }
                lock (refusals)
                {
                    Assert.True(refusals.Count >= 2, "every inner call refused: " + refusals.Count);
                    Assert.True(refusals.All(e => e is OvoInvalidArgumentException), "as invalid arguments: " + refusals[0]);
                }
            }
            finally
            {
                OvoLog.SetHandler(OvoLogLevel.Debug, null);
            }
        }
    }
}
