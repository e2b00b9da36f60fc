using System;
using System.Text.RegularExpressions;
using System.Threading.Tasks;

namespace Ovo.Tests
{
    /// <summary>CheckStatus (ovo_check_status): every status mapping, against the sandbox where it
    /// can answer it and a fake DOKU where it cannot.</summary>
    internal static class StatusTests
    {
        private static void AssertAnswered(Payment s, string invoice, string status)
        {
            Assert.Equal(PaymentKind.StatusCheck, s.Kind, "Kind");
            Assert.Equal(OvoResult.Ok, s.Result, "Result");
            Assert.Equal(200, s.HttpStatus, "HttpStatus");
            Assert.Equal(status, s.TransactionStatus, "TransactionStatus");
            Assert.Equal(invoice, s.CheckInvoiceNumber, "CheckInvoiceNumber");
            Assert.Equal(invoice, s.RequestInvoiceNumber, "RequestInvoiceNumber");
            Assert.True(!s.NotFound && !s.Cancelled, "found, not cancelled");
            Assert.Null(s.LastCheck, "a check has no last check");
            Assert.Null(s.ErrorMessage, "ErrorMessage");
            Assert.True(Regex.IsMatch(s.RequestId, "^[0-9a-f-]{36}$"), "the check's own Request-Id: " + s.RequestId);
        }

        [Test]
        public static void PaidPushShowsPaidWithEveryField()
        {
            using (var c = Sandbox.Client())
            {
                string invoice = Sandbox.Invoice();
                Payment push = c.PushPayment(invoice, 12000, Sandbox.CashWallet);
                Assert.Equal(PaymentKind.Push, push.Kind, "a push's Kind");
                Assert.Equal(invoice, push.RequestInvoiceNumber, "RequestInvoiceNumber of the push");
                Assert.Equal((long?)12000, push.RequestAmount, "RequestAmount of the push");
                Assert.Equal(Sandbox.CashWallet, push.RequestOvoId, "RequestOvoId of the push");
                Assert.Null(push.TransactionStatus, "a push has no status fields");

                Payment s = c.CheckStatus(invoice);
                AssertAnswered(s, invoice, "SUCCESS");
                Assert.Equal(PaymentOutcome.Paid, s.Outcome, "SUCCESS is paid");
                Assert.Equal(push.RequestId, s.OriginalRequestId, "OriginalRequestId is the push's Request-Id");
                Assert.True(s.RequestId != push.RequestId, "the check sent its own Request-Id");
                Assert.Equal((long?)12000, s.CheckAmount, "CheckAmount (the sandbox sends it as a string)");
                Assert.Equal("EMONEY", s.ServiceId, "ServiceId");
                Assert.Equal("OVO", s.AcquirerId, "AcquirerId");
                Assert.Equal("EMONEY_OVO", s.ChannelId, "ChannelId");
                Assert.Equal("00", s.CheckResponseCode, "CheckResponseCode");
                Assert.True(!string.IsNullOrEmpty(s.TransactionDate), "TransactionDate");
                Assert.Contains("\"SUCCESS\"", s.RawJson, "RawJson is the status answer");
                Assert.Null(s.Status, "no push fields on a check");
                Assert.Contains("Status check " + invoice + ": Paid", s.ToString(), "ToString");
            }
        }

        [Test]
        public static void DeclinedAndFailedPushesShowNotPaid()
        {
            using (var c = Sandbox.Client())
            {
                foreach (var wallet in new[] { Tuple.Create(Sandbox.DeclineWallet, "17"), Tuple.Create("089900000065", "65") })
                {
                    string invoice = Sandbox.Invoice();
                    Assert.Equal(PaymentOutcome.NotPaid, c.PushPayment(invoice, 2500, wallet.Item1).Outcome, "the push");
                    Payment s = c.CheckStatus(invoice);
                    AssertAnswered(s, invoice, "FAILED");
                    Assert.Equal(PaymentOutcome.NotPaid, s.Outcome, "FAILED is not paid");
                    Assert.Equal(wallet.Item2, s.CheckResponseCode, "CheckResponseCode");
                }
            }
        }

        [Test]
        public static void DokuTimeoutShowsUnknown()
        {
            using (var c = Sandbox.Client())
            {
                string invoice = Sandbox.Invoice();
                Assert.Equal(PaymentOutcome.Unknown, c.PushPayment(invoice, 2500, Sandbox.SilentWallet).Outcome, "TIMEOUT push");
                Payment s = c.CheckStatus(invoice);
                AssertAnswered(s, invoice, "TIMEOUT");
                Assert.Equal(PaymentOutcome.Unknown, s.Outcome, "TIMEOUT is unknown, never not paid");
            }
        }

        [Test]
        public static async Task HeldPushShowsPendingThenPaid()
        {
            using (var c = Sandbox.Client(Sandbox.HoldUrl))
            {
                string invoice = Sandbox.Invoice();
                Task<Payment> push = c.PushPaymentAsync(invoice, 4100, Sandbox.ManualWallet);
                Sandbox.WaitPending(invoice, Sandbox.HoldUrl);
                Payment s = c.CheckStatus(invoice);
                AssertAnswered(s, invoice, "PENDING");
                Assert.Equal(PaymentOutcome.Unknown, s.Outcome, "PENDING is unknown");
                Assert.Equal((long?)4100, s.CheckAmount, "CheckAmount");
                Sandbox.Pay(invoice, "points", Sandbox.HoldUrl);
                Assert.Equal(PaymentOutcome.Paid, (await push).Outcome, "the push");
                Assert.Equal(PaymentOutcome.Paid, c.CheckStatus(invoice).Outcome, "then SUCCESS");
            }
            Sandbox.WaitForCallbacks();
        }

        [Test]
        public static void NeverPushedIsNotFoundAndUnknown()
        {
            using (var c = Sandbox.Client())
            {
                string invoice = Sandbox.Invoice();
                Payment s = c.CheckStatus(invoice);
                Assert.Equal(OvoResult.Ok, s.Result, "DOKU answered: a result, not an exception");
                Assert.True(s.NotFound, "NotFound");
                Assert.Equal(PaymentOutcome.Unknown, s.Outcome, "not found is unknown, never not paid");
                Assert.Equal(404, s.HttpStatus, "HttpStatus");
                Assert.Equal(invoice, s.RequestInvoiceNumber, "RequestInvoiceNumber");
                Assert.Null(s.RequestAmount, "no amount: this client never pushed it");
                Assert.Null(s.RequestOvoId, "no OVO ID: this client never pushed it");
                Assert.Contains("not found", s.ToString(), "ToString");
            }
        }

        [Test]
        public static void FaultWalletsPayAndTheStatusSaysSo()
        {
            using (var c = Sandbox.Client(timeout: TimeSpan.FromSeconds(1)))
            {
                foreach (string wallet in Sandbox.FaultWallets)
                {
                    string invoice = Sandbox.Invoice();
                    var e = Assert.Throws<OvoOutcomeUnknownException>(() => c.PushPayment(invoice, 3300, wallet), wallet);
                    Assert.Equal(PaymentOutcome.Unknown, e.Payment.Outcome, wallet + ": unknown, never failed");
                    Payment s = c.CheckStatus(invoice);
                    Assert.Equal(PaymentOutcome.Paid, s.Outcome, wallet + ": the customer paid");
                    Assert.Equal(e.Payment.RequestId, s.OriginalRequestId, wallet + ": the same push");
                }
            }
        }

        /// <summary>A fake DOKU answering every status check of <paramref name="invoice"/> with
        /// <paramref name="status"/> (JSON), recording the request line.</summary>
        private static FakeServer StatusServer(string invoice, string status, string[] requestLine)
        {
            string body = "{\"order\":{\"invoice_number\":\"" + invoice + "\",\"amount\":10000}," +
                          "\"transaction\":{\"status\":" + status + ",\"date\":\"2021-01-15T03:04:05Z\",\"original_request_id\":\"r-1\"}," +
                          "\"service\":{\"id\":\"EMONEY\"},\"acquirer\":{\"id\":\"OVO\"},\"channel\":{\"id\":\"EMONEY_OVO\"}}";
            return new FakeServer(request =>
            {
                requestLine[0] = request.Substring(0, request.IndexOf("\r\n", StringComparison.Ordinal));
                return FakeServer.Http(200, "OK", body);
            });
        }

        [Test]
        public static void EveryStatusMapsToItsOutcome()
        {
            var cases = new[]
            {
                Tuple.Create("\"SUCCESS\"", PaymentOutcome.Paid),
                Tuple.Create("\"FAILED\"", PaymentOutcome.NotPaid),
                Tuple.Create("\"EXPIRED\"", PaymentOutcome.NotPaid),
                Tuple.Create("\"REFUNDED\"", PaymentOutcome.Refunded),
                Tuple.Create("\"PENDING\"", PaymentOutcome.Unknown),
                Tuple.Create("\"TIMEOUT\"", PaymentOutcome.Unknown),
                Tuple.Create("\"SOMETHING_NEW\"", PaymentOutcome.Unknown),
                Tuple.Create("null", PaymentOutcome.Unknown),
            };
            foreach (var @case in cases)
            {
                string invoice = "INV 7/" + Guid.NewGuid().ToString("N").Substring(0, 8) + "?";
                var line = new string[1];
                using (var server = StatusServer(invoice, @case.Item1, line))
                using (var c = Sandbox.Client(server.BaseUrl))
                {
                    Payment s = c.CheckStatus(invoice);
                    Assert.Equal(OvoResult.Ok, s.Result, @case.Item1 + " Result");
                    Assert.Equal(@case.Item2, s.Outcome, @case.Item1 + " Outcome");
                    Assert.Equal(@case.Item1 == "null" ? null : @case.Item1.Trim('"'), s.TransactionStatus, "TransactionStatus");
                    Assert.Equal((long?)10000, s.CheckAmount, "CheckAmount");
                    Assert.Equal("r-1", s.OriginalRequestId, "OriginalRequestId");
                    Assert.Equal(1, server.Requests, "one request, never retried");
                    // The invoice reached libovo intact and went out percent-encoded.
                    Assert.Equal("GET /orders/v1/status/" + Uri.EscapeDataString(invoice) + " HTTP/1.1", line[0], "request line");
                }
            }
        }

        [Test]
        public static void RefusedCheckTellsNothing()
        {
            using (var c = Sandbox.Client(secretKey: "SK-not-the-right-one"))
            {
                var e = Assert.Throws<OvoRejectedException>(() => c.CheckStatus(Sandbox.Invoice()), "bad signature");
                Assert.Equal(401, e.Payment.HttpStatus, "HttpStatus");
                Assert.Equal(PaymentKind.StatusCheck, e.Payment.Kind, "Kind");
                Assert.Equal(PaymentOutcome.Unknown, e.Payment.Outcome, "a refused check says nothing: unknown, never not paid");
                Assert.DoesNotContain("SK-not-the-right-one", e.Message, "message");
            }
        }

        [Test]
        public static void NetworkFailuresLeaveTheOutcomeUnknown()
        {
            using (var c = Sandbox.Client(ClosedPort.BaseUrl()))
            {
                var e = Assert.Throws<OvoNotSentException>(() => c.CheckStatus(Sandbox.Invoice()), "closed port");
                Assert.Equal(PaymentOutcome.Unknown, e.Payment.Outcome, "a check never sent says nothing about the payment");
            }
            using (var server = new FakeServer(request => FakeServer.Http(503, "Service Unavailable", "")))
            using (var c = Sandbox.Client(server.BaseUrl))
            {
                var e = Assert.Throws<OvoOutcomeUnknownException>(() => c.CheckStatus(Sandbox.Invoice()), "HTTP 503");
                Assert.Equal(503, e.Payment.HttpStatus, "HttpStatus");
                Assert.Equal(PaymentOutcome.Unknown, e.Payment.Outcome, "Outcome");
            }
        }

        [Test]
        public static void StatusTimeoutAppliesToChecks()
        {
            using (var server = new FakeServer(request => "HANG"))
            using (var c = Sandbox.Client(server.BaseUrl, TimeSpan.FromSeconds(60),
                configure: o => o.StatusTimeout = TimeSpan.FromMilliseconds(300)))
            {
                var clock = System.Diagnostics.Stopwatch.StartNew();
                var e = Assert.Throws<OvoOutcomeUnknownException>(() => c.CheckStatus(Sandbox.Invoice()), "no answer");
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "the status timeout, not the push timeout: " + clock.Elapsed);
                Assert.Equal(0, e.Payment.HttpStatus, "HttpStatus");
            }
        }

        [Test]
        public static void BadInvoiceIsRefusedBeforeSending()
        {
            using (var server = new FakeServer(request => FakeServer.Http(200, "OK", "{}")))
            using (var c = Sandbox.Client(server.BaseUrl))
            {
                foreach (string invoice in new[] { null, "", new string('I', 65), "INV\u0000-1" })
                {
                    var e = Assert.Throws<OvoInvalidArgumentException>(() => c.CheckStatus(invoice), "invoice " + invoice);
                    Assert.Equal("order.invoice_number", e.Field, "Field");
                    Assert.NotNull(e.Payment, "the blocking call always has a payment");
                    Assert.Equal(PaymentOutcome.Unknown, e.Payment.Outcome, "a check that was not sent says nothing");
                }
                Assert.Equal(0, server.Requests, "nothing sent");
            }
        }

        [Test]
        public static void CheckAfterDisposeThrows()
        {
            var c = Sandbox.Client();
            c.Dispose();
            Assert.Throws<ObjectDisposedException>(() => c.CheckStatus(Sandbox.Invoice()), "disposed");
        }
    }
}
