// Pushes one OVO payment through libovo's C# binding and says whether the customer paid, or
// checks the status of an invoice (the next step after any unknown outcome).
//
//   export OVO_CLIENT_ID=MCH-...  OVO_SECRET_KEY=SK-...      (never on the command line)
//   mono Pay.exe [options] INVOICE AMOUNT OVO_ID      push a payment
//   mono Pay.exe [options] --check INVOICE            ask DOKU for the invoice's status
//   mono Pay.exe [options] --journal PATH --settle    settle every open invoice of the journal
//   options: [--base-url URL] [--production] [--no-proxy] [--timeout SECONDS] [--reconcile SECONDS]
//            [--journal PATH]
//
// Exit status: 0 paid, 1 not paid, 2 outcome unknown (check the status with DOKU before
// charging again: Pay.exe --check INVOICE), 3 invalid argument or other error, 64 usage;
// --settle: 0 when every open invoice got a final outcome, 2 when one is still unknown.
// Ctrl+C stops waiting, but the customer may still pay: that is reported as unknown, never as
// failed. --reconcile makes libovo itself check the status of an unknown push for up to that long.
// --journal records every push in a file first: an invoice is then pushed at most once, across
// restarts (a paid one is refused, an open one until --settle settles it).
//
// Build (Mono): mcs -r:Ovo.dll -out:Pay.exe examples/csharp/Pay.cs
// Run:          LD_LIBRARY_PATH=target/release mono Pay.exe ...

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Ovo;

internal static class Pay
{
    private const int Paid = 0;
    private const int NotPaid = 1;
    private const int Unknown = 2;
    private const int Error = 3;
    private const int Usage = 64;

    private static int Main(string[] args)
    {
        var options = new OvoClientOptions { BaseUrl = Environment.GetEnvironmentVariable("OVO_BASE_URL") };
        var positional = new List<string>();
        bool check = false;
        bool settle = false;
        for (int i = 0; i < args.Length; i++)
        {
            double seconds;
            switch (args[i])
            {
                case "--base-url":
                    if (++i == args.Length) return UsageError("--base-url needs a value");
                    options.BaseUrl = args[i];
                    break;
                case "--production":
                    options.Environment = OvoEnvironment.Production;
                    break;
                case "--no-proxy":
                    options.ProxyMode = OvoProxyMode.None;
                    break;
                case "--check":
                    check = true;
                    break;
                case "--journal":
                    if (++i == args.Length) return UsageError("--journal needs a path");
                    options.Journal = args[i];
                    break;
                case "--settle":
                    settle = true;
                    break;
                case "--timeout":
                    if (++i == args.Length || !Seconds(args[i], out seconds)) return UsageError("--timeout needs a number of seconds");
                    options.Timeout = TimeSpan.FromSeconds(seconds);
                    break;
                case "--reconcile":
                    if (++i == args.Length || !Seconds(args[i], out seconds)) return UsageError("--reconcile needs a number of seconds");
                    options.ReconcileMaxWait = TimeSpan.FromSeconds(seconds);
                    break;
                case "-h":
                case "--help":
                    return UsageError(null);
                default:
                    positional.Add(args[i]);
                    break;
            }
        }
        long amount = 0;
        if (settle ? positional.Count != 0 || check
            : check ? positional.Count != 1 : positional.Count != 3 || !long.TryParse(positional[1], out amount))
        {
            return UsageError(settle ? "expected --settle alone" : check ? "expected --check INVOICE" : "expected INVOICE AMOUNT OVO_ID");
        }
        string clientId = Environment.GetEnvironmentVariable("OVO_CLIENT_ID");
        string secretKey = Environment.GetEnvironmentVariable("OVO_SECRET_KEY");
        if (string.IsNullOrEmpty(clientId) || string.IsNullOrEmpty(secretKey))
        {
            return UsageError("set OVO_CLIENT_ID and OVO_SECRET_KEY");
        }
        Console.WriteLine("libovo " + OvoLibrary.Version);
        try
        {
            using (var client = new OvoClient(clientId, secretKey, options))
            {
                if (settle)
                {
                    return SettleAll(client);
                }
                return check
                    ? CheckStatus(client, positional[0])
                    : Push(client, positional[0], amount, positional[2]).GetAwaiter().GetResult();
            }
        }
        catch (OvoInvalidArgumentException e)
        {
            return Invalid(e);
        }
    }

    private static int Invalid(OvoInvalidArgumentException e)
    {
        Console.Error.WriteLine("Invalid " + e.Field + ": " + e.Message + " (nothing was sent)");
        return Error;
    }

    private static async Task<int> Push(OvoClient client, string invoice, long amount, string ovoId)
    {
        using (var cancel = new CancellationTokenSource())
        {
            Console.CancelKeyPress += (sender, e) =>
            {
                e.Cancel = true;
                cancel.Cancel();
            };
            try
            {
                Console.WriteLine("Pushing " + amount + " IDR for invoice " + invoice + " to OVO " + ovoId +
                                  "; waiting for the customer (up to 70 s)...");
                Payment payment = await client.PushPaymentAsync(invoice, amount, ovoId, cancel.Token);
                if (payment.Status != null)
                {
                    Console.WriteLine("DOKU answered " + payment.Status + " " + payment.ResponseCode +
                                      (payment.ResponseCodeInfo != null ? " (" + payment.ResponseCodeInfo.Name + ")" : ""));
                }
                PrintRequest(payment);
                if (payment.LastCheck != null)
                {
                    Console.WriteLine("No usable answer to the push; libovo's status check says " + payment.TransactionStatus);
                }
                return Report(payment, invoice);
            }
            catch (OvoInvalidArgumentException e)
            {
                return Invalid(e);
            }
            catch (OvoPaymentCanceledException e)
            {
                PrintRequest(e.Payment);
                if (e.Result == OvoResult.NotSent)
                {
                    Console.WriteLine("NOT PAID: cancelled before anything was sent.");
                    return NotPaid;
                }
                Console.WriteLine("UNKNOWN: stopped waiting. The customer may still pay: " + Next(invoice));
                return Unknown;
            }
            catch (OvoOutcomeUnknownException e)
            {
                Console.WriteLine("UNKNOWN: " + e.Message + ". " + Next(invoice));
                PrintRequest(e.Payment);
                return Unknown;
            }
            catch (OvoNotSentException e)
            {
                Console.WriteLine("NOT PAID (never sent, safe to retry): " + e.Message);
                return NotPaid;
            }
            catch (OvoRejectedException e)
            {
                Console.WriteLine("NOT PAID (DOKU refused the request): " + e.Message);
                PrintRequest(e.Payment);
                return NotPaid;
            }
            catch (OvoInFlightException e)
            {
                Console.WriteLine("UNKNOWN (a push of this invoice is still in flight; nothing sent): " + e.Message);
                return Unknown;
            }
            catch (OvoUnsettledException e)
            {
                Console.WriteLine("UNKNOWN (an earlier push of this invoice may be paid; nothing sent): " + e.Message +
                                  ". " + Next(invoice));
                return Unknown;
            }
            catch (OvoAlreadyPaidException e)
            {
                Console.WriteLine("PAID already (nothing sent, do not charge again): " + e.Message);
                return Paid;
            }
            catch (OvoInvoiceUsedException e)
            {
                Console.WriteLine("NOT PAID (this invoice number was used; push again with a new one): " + e.Message);
                return NotPaid;
            }
            catch (OvoException e)
            {
                Console.Error.WriteLine(e.Result + ": " + e.Message);
                // Whatever went wrong, only libovo's outcome says whether money moved.
                return e.Payment != null && e.Payment.Outcome == PaymentOutcome.NotPaid ? NotPaid : Unknown;
            }
        }
    }

    private static int CheckStatus(OvoClient client, string invoice)
    {
        try
        {
            Payment s = client.CheckStatus(invoice);
            if (s.NotFound)
            {
                Console.WriteLine("UNKNOWN: DOKU has no payment for " + invoice + " (yet): check again later, never treat it as not paid.");
                return Unknown;
            }
            Console.WriteLine("DOKU says " + s.TransactionStatus + " for " + invoice +
                              (s.CheckAmount.HasValue ? " (" + s.CheckAmount + " IDR)" : "") +
                              (string.IsNullOrEmpty(s.OriginalRequestId) ? "" : ", push Request-Id " + s.OriginalRequestId));
            return Report(s, invoice);
        }
        catch (OvoInvalidArgumentException e)
        {
            return Invalid(e);
        }
        catch (OvoException e)
        {
            // A failed check (refused, not sent, no usable answer) tells nothing about the payment.
            Console.WriteLine("UNKNOWN: the status check failed (" + e.Result + "): " + e.Message);
            return Unknown;
        }
    }

    private static int SettleAll(OvoClient client)
    {
        // With a journal: every push a run of this program (or another one) left open. Each is
        // checked with DOKU; the journal then knows the answer.
        IReadOnlyList<Payment> settled = client.SettleAll();
        if (settled.Count == 0)
        {
            Console.WriteLine("Nothing open: every invoice has a final outcome.");
            return Paid;
        }
        int exit = Paid;
        foreach (Payment p in settled)
        {
            Console.Write(p.RequestInvoiceNumber + " (" + p.RequestAmount + " IDR): ");
            if (Report(p, p.RequestInvoiceNumber) == Unknown)
            {
                exit = Unknown; // still open: settle again later, never push it again meanwhile
            }
        }
        return exit;
    }

    private static int Report(Payment p, string invoice)
    {
        switch (p.Outcome)
        {
            case PaymentOutcome.Paid:
                Console.WriteLine(p.Kind == PaymentKind.StatusCheck && p.AccountName == null
                    ? "PAID"
                    : "PAID by " + p.AccountName + " on " + p.Date + ": cash " + p.CashUsed +
                      ", points " + p.PointsUsed + ", approval " + p.ApprovalCode);
                return Paid;
            case PaymentOutcome.NotPaid:
                Console.WriteLine("NOT PAID" + (p.ResponseDescription != null ? ": " + p.ResponseDescription : ""));
                return NotPaid;
            case PaymentOutcome.Refunded:
                Console.WriteLine("NOT PAID: the payment was refunded.");
                return NotPaid;
            default:
                Console.WriteLine("UNKNOWN: the customer may still pay. " + Next(invoice));
                return Unknown;
        }
    }

    private static string Next(string invoice)
    {
        return "Check the status before charging again: Pay.exe --check " + invoice;
    }

    private static void PrintRequest(Payment p)
    {
        if (p != null && !string.IsNullOrEmpty(p.RequestId))
        {
            Console.WriteLine("Request-Id " + p.RequestId + (p.HttpStatus != 0 ? ", HTTP " + p.HttpStatus : ""));
        }
    }

    private static bool Seconds(string text, out double seconds)
    {
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out seconds);
    }

    private static int UsageError(string message)
    {
        if (message != null)
        {
            Console.Error.WriteLine("Pay: " + message);
        }
        Console.Error.WriteLine("usage: Pay.exe [options] INVOICE AMOUNT OVO_ID    push a payment");
        Console.Error.WriteLine("       Pay.exe [options] --check INVOICE          check an invoice's status");
        Console.Error.WriteLine("       Pay.exe [options] --journal PATH --settle  settle every open invoice of the journal");
        Console.Error.WriteLine("options: --base-url URL, --production, --no-proxy, --timeout SECONDS, --reconcile SECONDS,");
        Console.Error.WriteLine("         --journal PATH");
        Console.Error.WriteLine("(credentials from OVO_CLIENT_ID and OVO_SECRET_KEY)");
        return message == null ? 0 : Usage;
    }
}
