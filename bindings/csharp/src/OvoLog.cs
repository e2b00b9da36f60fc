// The process-wide log hook (ovo_set_log_callback) as a managed delegate.

using System;
using System.Runtime.InteropServices;

namespace Ovo
{
    /// <summary>
    /// libovo's log lines (process-wide): one when a push or status check is sent (invoice,
    /// amount, request id), one when its answer comes (HTTP status, DOKU status, code, outcome,
    /// elapsed ms), and one for each error, refusal and cancel. Lines never contain the secret
    /// key, the signature, the checksum or the customer's phone number.
    /// </summary>
    public static class OvoLog
    {
        // The one native callback, alive for the life of the process. Which handler it calls is
        // the userdata: a GCHandle per installation, freed once libovo no longer uses it.
        private static readonly NativeMethods.LogCallback Trampoline = OnLine;

        private static readonly object Gate = new object();

        // The GCHandle libovo holds now (IntPtr.Zero when the hook is off). Guarded by Gate.
        private static IntPtr installed;

        [ThreadStatic]
        private static bool insideHandler;

        /// <summary>
        /// Sends libovo's lines of <paramref name="minLevel"/> and above to
        /// <paramref name="handler"/>, replacing any earlier handler; <c>null</c> turns logging off
        /// (the default). The handler runs on whichever thread logs (a caller's or a libovo
        /// thread), possibly on several at once: keep it short and thread-safe. An exception it
        /// throws is swallowed (it never reaches libovo). When this returns, the previous handler is
        /// not running and will not be called again.
        /// </summary>
        /// <exception cref="OvoInvalidArgumentException">libovo refused: <paramref name="minLevel"/>
        /// is not an <see cref="OvoLogLevel"/>, or this was called from inside a handler.</exception>
        public static void SetHandler(OvoLogLevel minLevel, Action<OvoLogLevel, string> handler)
        {
            if (insideHandler)
            {
                // libovo refuses this (a handler would wait for itself); do not take Gate, which a
                // thread waiting for this handler to return may hold.
                Install(minLevel, handler);
                return;
            }
            lock (Gate)
            {
                Install(minLevel, handler);
            }
        }

        private static void Install(OvoLogLevel minLevel, Action<OvoLogLevel, string> handler)
        {
            IntPtr next = handler == null ? IntPtr.Zero : GCHandle.ToIntPtr(GCHandle.Alloc(handler));
            uint result = NativeMethods.ovo_set_log_callback(
                (uint)minLevel, handler == null ? null : Trampoline, next);
            if (result != (uint)OvoResult.Ok)
            {
                if (next != IntPtr.Zero)
                {
                    GCHandle.FromIntPtr(next).Free(); // libovo changed nothing
                }
                string why = insideHandler
                    ? "a log handler cannot change the log handler"
                    : "min_level: " + (uint)minLevel + " is not an OvoLogLevel value";
                throw OvoException.Create((OvoResult)result,
                    why + " (libovo: " + OvoLibrary.ResultName((OvoResult)result) + ")",
                    insideHandler ? null : "min_level", null);
            }
            if (insideHandler)
            {
                return; // Not expected (libovo refuses); keep the old handle allocated rather than guess.
            }
            IntPtr previous = installed;
            installed = next;
            if (previous != IntPtr.Zero)
            {
                GCHandle.FromIntPtr(previous).Free(); // libovo no longer runs or calls it
            }
        }

        /// <summary>The ovo_log_callback. Nothing may escape into native code.</summary>
        private static void OnLine(IntPtr userdata, uint level, IntPtr message)
        {
            bool outer = !insideHandler;
            try
            {
                insideHandler = true;
                var handler = (Action<OvoLogLevel, string>)GCHandle.FromIntPtr(userdata).Target;
                handler((OvoLogLevel)level, Utf8.FromNative(message));
            }
            catch
            {
                // A handler's exception must never unwind into libovo.
            }
            finally
            {
                if (outer)
                {
                    insideHandler = false;
                }
            }
        }
    }
}
