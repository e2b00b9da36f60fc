// Pushes one OVO payment through libovo's C# binding and says whether the customer paid.
//
//   export OVO_CLIENT_ID=MCH-...  OVO_SECRET_KEY=SK-...      (never on the command line)
//   mono Pay.exe [--base-url URL] [--production] [--no-proxy] [--timeout SECONDS] INVOICE AMOUNT OVO_ID
//
// Exit status: 0 paid, 1 not paid, 2 outcome unknown (check the status with DOKU before
// charging again), 3 invalid argument or other error, 64 usage. Ctrl+C stops waiting, but
// the payment may still complete: that is reported as unknown, never as failed.
//
// Build (Mono): mcs -r:Ovo.dll -out:Pay.exe examples/csharp/Pay.cs
// Run:          LD_LIBRARY_PATH=target/release mono Pay.exe ...

using System;
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
        var positional = new System.Collections.Generic.List<string>();
        for (int i = 0; i < args.Length; i++)
        {
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
                case "--timeout":
                    double seconds;
                    if (++i == args.Length || !double.TryParse(args[i], System.Globalization.NumberStyles.Float,
                            System.Globalization.CultureInfo.InvariantCulture, out seconds))
                    {
                        return UsageError("--timeout needs a number of seconds");
                    }
                    options.Timeout = TimeSpan.FromSeconds(seconds);
                    break;
                case "-h":
                case "--help":
                    return UsageError(null);
                default:
                    positional.Add(args[i]);
                    break;
            }
        }
        long amount;
        if (positional.Count != 3 || !long.TryParse(positional[1], out amount))
        {
            return UsageError("expected INVOICE AMOUNT OVO_ID");
        }
        string clientId = Environment.GetEnvironmentVariable("OVO_CLIENT_ID");
        string secretKey = Environment.GetEnvironmentVariable("OVO_SECRET_KEY");
        if (string.IsNullOrEmpty(clientId) || string.IsNullOrEmpty(secretKey))
        {
            return UsageError("set OVO_CLIENT_ID and OVO_SECRET_KEY");
        }
        return Run(clientId, secretKey, options, positional[0], amount, positional[2]).GetAwaiter().GetResult();
    }

    private static async Task<int> Run(string clientId, string secretKey, OvoClientOptions options,
        string invoice, long amount, string ovoId)
    {
        Console.WriteLine("libovo " + OvoLibrary.Version);
        using (var cancel = new CancellationTokenSource())
        {
            Console.CancelKeyPress += (sender, e) =>
            {
                e.Cancel = true;
                cancel.Cancel();
            };
            try
            {
                using (var client = new OvoClient(clientId, secretKey, options))
                {
                    Console.WriteLine("Pushing " + amount + " IDR for invoice " + invoice + " to OVO " + ovoId +
                                      "; waiting for the customer (up to 70 s)...");
                    Payment payment = await client.PushPaymentAsync(invoice, amount, ovoId, cancel.Token);
                    return Report(payment);
                }
            }
            catch (OperationCanceledException)
            {
                Console.WriteLine("UNKNOWN: stopped waiting. The customer may still pay: check the status with DOKU.");
                return Unknown;
            }
            catch (OvoInvalidArgumentException e)
            {
                Console.Error.WriteLine("Invalid " + e.Field + ": " + e.Message);
                return Error;
            }
            catch (OvoOutcomeUnknownException e)
            {
                Console.WriteLine("UNKNOWN: " + e.Message + ". Check the status with DOKU before charging again.");
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
            catch (OvoException e)
            {
                Console.Error.WriteLine(e.Result + ": " + e.Message);
                // Whatever went wrong, only libovo's outcome says whether money moved.
                return e.Payment != null && e.Payment.Outcome == PaymentOutcome.NotPaid ? NotPaid : Unknown;
            }
        }
    }

    private static int Report(Payment p)
    {
        Console.WriteLine("DOKU answered " + p.Status + " " + p.ResponseCode +
                          (p.ResponseCodeInfo != null ? " (" + p.ResponseCodeInfo.Name + ")" : ""));
        PrintRequest(p);
        switch (p.Outcome)
        {
            case PaymentOutcome.Paid:
                Console.WriteLine("PAID by " + p.AccountName + " on " + p.Date + ": cash " + p.CashUsed +
                                  ", points " + p.PointsUsed + ", approval " + p.ApprovalCode);
                return Paid;
            case PaymentOutcome.NotPaid:
                Console.WriteLine("NOT PAID: " + p.ResponseDescription);
                return NotPaid;
            default:
                Console.WriteLine("UNKNOWN: the customer may still pay. Check the status with DOKU before charging again.");
                return Unknown;
        }
    }

    private static void PrintRequest(Payment p)
    {
        if (p != null && !string.IsNullOrEmpty(p.RequestId))
        {
            Console.WriteLine("Request-Id " + p.RequestId + (p.HttpStatus != 0 ? ", HTTP " + p.HttpStatus : ""));
        }
    }

    private static int UsageError(string message)
    {
        if (message != null)
        {
            Console.Error.WriteLine("Pay: " + message);
        }
        Console.Error.WriteLine("usage: Pay.exe [--base-url URL] [--production] [--no-proxy] [--timeout SECONDS] INVOICE AMOUNT OVO_ID");
        Console.Error.WriteLine("       (credentials from OVO_CLIENT_ID and OVO_SECRET_KEY)");
        return message == null ? 0 : Usage;
    }
}
