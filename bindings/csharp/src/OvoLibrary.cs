using System;
using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("OvoTests")]

namespace Ovo
{
    /// <summary>Facts about the native library loaded.</summary>
    public static class OvoLibrary
    {
        private static volatile bool loaded;

        /// <summary>The version of the libovo loaded, e.g. <c>"0.1.0"</c> (<c>ovo_version()</c>).</summary>
        /// <exception cref="DllNotFoundException">libovo was not found; the message says where to put it.</exception>
        public static string Version
        {
            get
            {
                EnsureLoaded();
                return Utf8.FromNative(NativeMethods.ovo_version());
            }
        }

        /// <summary>
        /// Loads libovo before the first native call of a public entry point, so that a missing
        /// library is reported with what to do about it instead of the runtime's bare message.
        /// </summary>
        /// <exception cref="DllNotFoundException">libovo was not found.</exception>
        internal static void EnsureLoaded()
        {
            if (loaded)
            {
                return;
            }
            try
            {
                NativeMethods.ovo_version();
                loaded = true;
            }
            catch (DllNotFoundException e)
            {
                throw new DllNotFoundException(
                    "libovo's native library was not found (DllImport \"ovo\": libovo.so on Linux, " +
                    "ovo.dll on Windows). Put it in the folder of Ovo.dll (the program's output " +
                    "folder: the Ovo NuGet package's build/Ovo.targets copies it there for " +
                    "packages.config projects), or on Linux add its folder to LD_LIBRARY_PATH. " +
                    "Runtime's message: " + e.Message,
                    e);
            }
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
