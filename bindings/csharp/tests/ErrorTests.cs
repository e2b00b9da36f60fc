using System;
using System.Diagnostics;

namespace Ovo.Tests
{
    /// <summary>The non-OK results: each is its own exception carrying the partial payment.</summary>
    internal static class ErrorTests
    {
        [Test]
        public static void WrongSecretIsRejected()
        {
            const string wrong = "SK-wrongwrongwrongwrong";
            using (var c = Sandbox.Client(secretKey: wrong))
            {
                string invoice = Sandbox.Invoice();
                var e = Assert.Throws<OvoRejectedException>(() => c.PushPayment(invoice, 1000, Sandbox.CashWallet), "bad checksum");
                Assert.Equal(OvoResult.Rejected, e.Result, "Result");
                Assert.Equal(OvoResult.Rejected, e.Payment.Result, "Payment.Result");
                Assert.Equal(PaymentOutcome.NotPaid, e.Payment.Outcome, "rejected is not paid");
                Assert.Equal(401, e.Payment.HttpStatus, "HttpStatus");
                Assert.True(e.Payment.RequestId.Length > 0, "a request was sent");
                Assert.Equal(e.Payment.ErrorMessage, e.Message, "message comes from libovo");
                Assert.DoesNotContain(wrong, e.ToString(), "exception text");
                Assert.DoesNotContain(wrong, e.Payment.ToString(), "payment text");
                Assert.True(!Sandbox.IsPending(invoice), "nothing held");
            }
        }

        [Test]
        public static void SecretEchoedByAServerIsRedactedEverywhere()
        {
            // A broken server echoing the key (plain, JSON-escaped, cut off) in a push and a check answer.
            string echoed = "{\"error\":{\"message\":\"bad key " + Sandbox.SecretKey + " / " +
                            Sandbox.SecretKey.Replace("-", "\\u002d") + " / " + Sandbox.SecretKey.Substring(0, 10) + "\"}}";
            try
            {
                var lines = new System.Collections.Generic.List<string>();
                OvoLog.SetHandler(OvoLogLevel.Debug, (level, line) => { lock (lines) { lines.Add(line); } });
                using (var server = new FakeServer(request => FakeServer.Http(500, "Internal Server Error", echoed)))
                using (var c = Sandbox.Client(server.BaseUrl))
                {
                    var push = Assert.Throws<OvoOutcomeUnknownException>(() => c.PushPayment(Sandbox.Invoice(), 1000, Sandbox.CashWallet), "push");
                    var check = Assert.Throws<OvoOutcomeUnknownException>(() => c.CheckStatus(Sandbox.Invoice()), "check");
                    foreach (OvoException e in new OvoException[] { push, check })
                    {
                        Assert.Contains("***", e.Payment.RawJson, "the key is replaced");
                        foreach (string secret in new[] { Sandbox.SecretKey, Sandbox.SecretKey.Substring(0, 8), Sandbox.SecretKey.Replace("-", "\\u002d") })
                        {
                            Assert.DoesNotContain(secret, e.Payment.RawJson, "RawJson");
                            Assert.DoesNotContain(secret, System.Text.Encoding.UTF8.GetString(e.Payment.GetRawBody()), "GetRawBody");
                            Assert.DoesNotContain(secret, e.ToString(), "exception text");
                            Assert.DoesNotContain(secret, e.Payment.ToString(), "payment text");
                        }
                    }
                }
                lock (lines)
                {
                    Assert.True(lines.Count > 0, "lines were logged");
                    foreach (string line in lines)
                    {
                        Assert.DoesNotContain(Sandbox.SecretKey.Substring(0, 8), line, "log line");
                    }
                }
            }
            finally
            {
                OvoLog.SetHandler(OvoLogLevel.Debug, null);
            }
        }

        [Test]
        public static void WrongClientIdIsRejected()
        {
            using (var c = new OvoClient("MCH-0001-00000000000000", Sandbox.SecretKey,
                new OvoClientOptions { BaseUrl = Sandbox.BaseUrl, ProxyMode = OvoProxyMode.None }))
            {
                var e = Assert.Throws<OvoRejectedException>(() => c.PushPayment(Sandbox.Invoice(), 1000, Sandbox.CashWallet), "unknown client");
                Assert.Equal(PaymentOutcome.NotPaid, e.Payment.Outcome, "Outcome");
            }
        }

        [Test]
        public static void ClosedPortIsNotSent()
        {
            using (var c = Sandbox.Client(ClosedPort.BaseUrl()))
            {
                var e = Assert.Throws<OvoNotSentException>(() => c.PushPayment(Sandbox.Invoice(), 1000, Sandbox.CashWallet), "closed port");
                Assert.Equal(OvoResult.NotSent, e.Payment.Result, "Payment.Result");
                Assert.Equal(PaymentOutcome.NotPaid, e.Payment.Outcome, "never sent is not paid");
                Assert.Equal(0, e.Payment.HttpStatus, "HttpStatus");
                Assert.Equal("", e.Payment.RawJson, "RawJson");
                Assert.Null(e.Payment.Status, "Status");
            }
        }

        [Test]
        public static void ConnectionClosedAfterSendIsUnknown()
        {
            using (var server = new FakeServer(request => null))
            using (var c = Sandbox.Client(server.BaseUrl))
            {
                var e = Assert.Throws<OvoOutcomeUnknownException>(() => c.PushPayment(Sandbox.Invoice(), 1000, Sandbox.CashWallet), "hang-up");
                Assert.Equal(PaymentOutcome.Unknown, e.Payment.Outcome, "unknown, never failed");
                Assert.Equal(OvoResult.OutcomeUnknown, e.Payment.Result, "Payment.Result");
                Assert.Equal(1, server.Requests, "exactly one request, no retry");
            }
        }

        [Test]
        public static void ServerErrorIsUnknown()
        {
            using (var server = new FakeServer(request => FakeServer.Http(500, "Internal Server Error", "<html>oops</html>", "text/html")))
            using (var c = Sandbox.Client(server.BaseUrl))
            {
                var e = Assert.Throws<OvoOutcomeUnknownException>(() => c.PushPayment(Sandbox.Invoice(), 1000, Sandbox.CashWallet), "HTTP 500");
                Assert.Equal(PaymentOutcome.Unknown, e.Payment.Outcome, "unknown, never failed");
                Assert.Equal(500, e.Payment.HttpStatus, "HttpStatus");
                Assert.Equal("<html>oops</html>", e.Payment.RawJson, "the body is kept");
                Assert.Equal(1, server.Requests, "no retry");
            }
        }

        [Test]
        public static void GarbageAnswerIsUnknown()
        {
            using (var server = new FakeServer(request => FakeServer.Http(200, "OK", "{\"not\":\"a payment\"")))
            using (var c = Sandbox.Client(server.BaseUrl))
            {
                var e = Assert.Throws<OvoOutcomeUnknownException>(() => c.PushPayment(Sandbox.Invoice(), 1000, Sandbox.CashWallet), "bad JSON");
                Assert.Equal(PaymentOutcome.Unknown, e.Payment.Outcome, "Outcome");
                Assert.Equal(200, e.Payment.HttpStatus, "HttpStatus");
                Assert.Null(e.Payment.Status, "no fields from an unusable answer");
            }
        }

        [Test]
        public static void AnswerForAnotherInvoiceIsUnknown()
        {
            // A well-formed SUCCESS for a different invoice must not be taken as paid.
            string body = "{\"client\":{\"id\":\"" + Sandbox.ClientId + "\"},\"order\":{\"invoice_number\":\"OTHER-1\",\"amount\":1000}," +
                          "\"ovo_info\":{\"ovo_id\":\"" + Sandbox.CashWallet + "\",\"ovo_account_name\":\"X\"}," +
                          "\"ovo_configuration\":{\"merchant_id\":\"1\",\"store_code\":\"1\",\"mid\":\"1\",\"tid\":\"1\"}," +
                          "\"ovo_payment\":{\"date\":\"20240101120000\",\"batch_number\":1,\"trace_number\":1,\"reference_number\":1," +
                          "\"approval_code\":\"1\",\"response_code\":\"00\",\"cash_used\":1000,\"cash_balance\":0,\"ovo_points_used\":0," +
                          "\"ovo_points_balance\":0,\"ovo_points_earned\":0,\"status\":\"SUCCESS\"},\"security\":{\"check_sum\":\"x\"}}";
            using (var server = new FakeServer(request => FakeServer.Http(200, "OK", body)))
            using (var c = Sandbox.Client(server.BaseUrl))
            {
                var e = Assert.Throws<OvoOutcomeUnknownException>(() => c.PushPayment(Sandbox.Invoice(), 1000, Sandbox.CashWallet), "mismatch");
                Assert.Equal(PaymentOutcome.Unknown, e.Payment.Outcome, "Outcome");
                Assert.Contains("OTHER-1", e.Payment.RawJson, "raw body kept for investigation");
            }
        }

        [Test]
        public static void ClientTimeoutIsUnknown()
        {
            using (var server = new FakeServer(request => "HANG"))
            using (var c = Sandbox.Client(server.BaseUrl, TimeSpan.FromMilliseconds(300)))
            {
                var clock = Stopwatch.StartNew();
                var e = Assert.Throws<OvoOutcomeUnknownException>(() => c.PushPayment(Sandbox.Invoice(), 1000, Sandbox.CashWallet), "no answer");
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), "the timeout applies: " + clock.Elapsed);
                Assert.Equal(PaymentOutcome.Unknown, e.Payment.Outcome, "Outcome");
                Assert.Equal(0, e.Payment.HttpStatus, "HttpStatus");
            }
        }
    }

}
