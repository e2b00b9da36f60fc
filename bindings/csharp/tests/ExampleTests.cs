using System;
using System.Diagnostics;
using System.Linq;

namespace Ovo.Tests
{
    /// <summary>Runs examples/csharp/Pay.cs (built by tests/csharp.sh) against the sandbox.</summary>
    internal static class ExampleTests
    {
        private static Process Start(params string[] args)
        {
            string exe = Environment.GetEnvironmentVariable("OVO_PAY_EXE");
            Assert.True(!string.IsNullOrEmpty(exe), "OVO_PAY_EXE is set (run tests/csharp.sh)");
            var start = new ProcessStartInfo("mono", "\"" + exe + "\" " + string.Join(" ", args))
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            start.EnvironmentVariables["OVO_CLIENT_ID"] = Sandbox.ClientId;
            start.EnvironmentVariables["OVO_SECRET_KEY"] = Sandbox.SecretKey;
            return Process.Start(start);
        }

        private static int Run(out string output, params string[] args)
        {
            using (Process p = Start(args))
            {
                var stderr = p.StandardError.ReadToEndAsync();
                output = p.StandardOutput.ReadToEnd() + stderr.Result;
                Assert.True(p.WaitForExit(60000), "Pay.exe finished");
                return p.ExitCode;
            }
        }

        private static string[] Args(string wallet, params string[] extra)
        {
            var args = new System.Collections.Generic.List<string> { "--no-proxy", "--base-url", Sandbox.BaseUrl };
            args.AddRange(extra);
            args.AddRange(new[] { Sandbox.Invoice(), "15000", wallet });
            return args.ToArray();
        }

        [Test]
        public static void PayExamplePaid()
        {
            string output;
            Assert.Equal(0, Run(out output, Args(Sandbox.CashWallet)), "exit status; output: " + output);
            Assert.Contains("PAID by", output, "output");
            Assert.DoesNotContain(Sandbox.SecretKey, output, "output");
        }

        [Test]
        public static void PayExampleDeclined()
        {
            string output;
            Assert.Equal(1, Run(out output, Args(Sandbox.DeclineWallet)), "exit status; output: " + output);
            Assert.Contains("NOT PAID", output, "output");
        }

        [Test]
        public static void PayExampleTimeoutIsUnknown()
        {
            string output;
            Assert.Equal(2, Run(out output, Args(Sandbox.SilentWallet)), "exit status; output: " + output);
            Assert.Contains("UNKNOWN", output, "output");
        }

        [Test]
        public static void PayExampleNotSent()
        {
            string output;
            Assert.Equal(1, Run(out output, "--no-proxy", "--base-url", ClosedPort.BaseUrl(), Sandbox.Invoice(), "15000", Sandbox.CashWallet),
                "exit status; output: " + output);
            Assert.Contains("never sent", output, "output");
        }

        [Test]
        public static void PayExampleCodeFortyIsUnknownAndCheckSaysPaid()
        {
            string output;
            string invoice = Sandbox.Invoice();
            string[] push = { "--no-proxy", "--base-url", Sandbox.BaseUrl, invoice, "15000", Sandbox.CashWallet };
            Assert.Equal(0, Run(out output, push), "first push; output: " + output);
            Assert.Equal(2, Run(out output, push), "the same invoice again is FAILED 40: unknown; output: " + output);
            Assert.Contains("UNKNOWN", output, "output");
            Assert.Contains("Pay.exe --check " + invoice, output, "the next step is named");
            Assert.Equal(0, Run(out output, "--no-proxy", "--base-url", Sandbox.BaseUrl, "--check", invoice), "check; output: " + output);
            Assert.Contains("DOKU says SUCCESS", output, "output");
            Assert.Contains("PAID", output, "output");
            Assert.DoesNotContain(Sandbox.SecretKey, output, "output");
        }

        [Test]
        public static void PayExampleCheckNotFoundIsUnknown()
        {
            string output;
            Assert.Equal(2, Run(out output, "--no-proxy", "--base-url", Sandbox.BaseUrl, "--check", Sandbox.Invoice()), "output: " + output);
            Assert.Contains("never treat it as not paid", output, "output");
            Assert.Equal(64, Run(out output, "--no-proxy", "--check"), "usage; output: " + output);
        }

        [Test]
        public static void PayExampleReconcilesALateAnswer()
        {
            // The fault wallet pays but its answer is HTTP 500: libovo's status check says PAID.
            string output;
            Assert.Equal(0, Run(out output, Args("089800000500", "--reconcile", "20")), "exit status; output: " + output);
            Assert.Contains("status check says SUCCESS", output, "output");
            Assert.Contains("PAID", output, "output");
        }

        [Test]
        public static void PayExampleJournalRefusesAPaidInvoiceAgain()
        {
            using (var dir = new TempDir())
            {
                string output;
                string[] push = { "--no-proxy", "--base-url", Sandbox.BaseUrl, "--journal", dir.File("till.db"), Sandbox.Invoice(), "15000", Sandbox.CashWallet };
                Assert.Equal(0, Run(out output, push), "first push; output: " + output);
                Counters before = Sandbox.Stats();
                Assert.Equal(0, Run(out output, push), "again: the journal says paid; output: " + output);
                Assert.Contains("PAID already", output, "output");
                Assert.Equal(before.Payments, Sandbox.Stats().Payments, "nothing sent");
            }
        }

        [Test]
        public static void PayExampleSettlesWhatARunLeftOpen()
        {
            using (var dir = new TempDir())
            {
                string output;
                string invoice = Sandbox.Invoice();
                string[] options = { "--no-proxy", "--base-url", Sandbox.HoldUrl, "--journal", dir.File("till.db") };
                string[] settle = options.Concat(new[] { "--settle" }).ToArray();
                // The run gives up after 0.3 s; the customer has not approved yet.
                Assert.Equal(2, Run(out output, options.Concat(new[] { "--timeout", "0.3", invoice, "15000", Sandbox.ManualWallet }).ToArray()),
                    "given up; output: " + output);
                Assert.Contains("UNKNOWN", output, "output");
                Sandbox.WaitPending(invoice, Sandbox.HoldUrl);
                Assert.Equal(2, Run(out output, settle), "PENDING: still open; output: " + output);
                Assert.Contains(invoice + " (15000 IDR): UNKNOWN", output, "output");
                Sandbox.Pay(invoice, "cash", Sandbox.HoldUrl);
                Assert.Equal(0, Run(out output, settle), "paid; output: " + output);
                Assert.Contains(invoice + " (15000 IDR): PAID", output, "output");
                Assert.Equal(0, Run(out output, settle), "nothing left; output: " + output);
                Assert.Contains("Nothing open", output, "output");
                Assert.Equal(0, Run(out output, options.Concat(new[] { invoice, "15000", Sandbox.ManualWallet }).ToArray()), "pushed again; output: " + output);
                Assert.Contains("PAID already", output, "output");
                Assert.Equal(64, Run(out output, settle.Concat(new[] { invoice }).ToArray()), "--settle takes no invoice; output: " + output);
            }
        }

        [Test]
        public static void PayExampleKilledMidWaitIsSettledByTheNextRun()
        {
            using (var dir = new TempDir())
            {
                string output;
                string invoice = Sandbox.Invoice();
                string journal = dir.File("till.db");
                string[] options = { "--no-proxy", "--base-url", Sandbox.HoldUrl, "--journal", journal };
                using (Process till = Start(options.Concat(new[] { invoice, "15000", Sandbox.ManualWallet }).ToArray()))
                {
                    Sandbox.WaitPending(invoice, Sandbox.HoldUrl);
                    till.Kill(); // SIGKILL while DOKU holds the push
                    Assert.True(till.WaitForExit(30000), "the killed run exited");
                }
                using (var c = Sandbox.Client(Sandbox.HoldUrl, configure: o => o.Journal = journal))
                {
                    var open = c.Unsettled();
                    Assert.Equal(1, open.Count, "the killed run's push is open");
                    Assert.Equal("SENDING", open[0].JournalState, "left in flight");
                    Assert.Equal(invoice, open[0].RequestInvoiceNumber, "RequestInvoiceNumber");
                    Assert.Equal(PaymentOutcome.Unknown, open[0].Outcome, "unknown");
                    Assert.Throws<OvoUnsettledException>(() => c.PushPayment(invoice, 15000, Sandbox.ManualWallet), "refused");
                }
                Sandbox.Pay(invoice, "points", Sandbox.HoldUrl); // the customer pays anyway
                Assert.Equal(0, Run(out output, options.Concat(new[] { "--settle" }).ToArray()), "settled; output: " + output);
                Assert.Contains(invoice + " (15000 IDR): PAID", output, "output");
            }
        }

        [Test]
        public static void PayExampleBadInput()
        {
            string output;
            Assert.Equal(3, Run(out output, Args("12")), "exit status; output: " + output);
            Assert.Contains("ovo_info.ovo_id", output, "output names the field");
            Assert.Equal(64, Run(out output, "--no-proxy"), "usage; output: " + output);
        }
    }
}
