using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("OvoTests")]

namespace Ovo
{
    /// <summary>Facts about the native library loaded.</summary>
    public static class OvoLibrary
    {
        /// <summary>The version of the libovo loaded, e.g. <c>"0.1.0"</c> (<c>ovo_version()</c>).</summary>
        public static string Version
        {
            get { return Utf8.FromNative(NativeMethods.ovo_version()); }
        }

        /// <summary>libovo's name of a result, e.g. <c>"OUTCOME_UNKNOWN"</c>
        /// (<c>ovo_result_name</c>); <c>"UNKNOWN_RESULT"</c> for a value it does not know.</summary>
        public static string ResultName(OvoResult result)
        {
            return Utf8.FromNative(NativeMethods.ovo_result_name((uint)result));
        }

        /// <summary>libovo's name of an outcome, e.g. <c>"NOT_PAID"</c> (<c>ovo_outcome_name</c>);
        /// <c>"UNKNOWN"</c> for a value it does not know.</summary>
        public static string OutcomeName(PaymentOutcome outcome)
        {
            return Utf8.FromNative(NativeMethods.ovo_outcome_name((uint)outcome));
        }
    }
}
