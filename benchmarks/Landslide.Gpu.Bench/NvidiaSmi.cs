using System.Diagnostics;
using System.Globalization;

namespace Landslide.Gpu.Bench;

/// <summary>Reads GPU facts from nvidia-smi; every answer is null where there is no NVIDIA driver.</summary>
internal static class NvidiaSmi
{
    public static string? GpuName() => Query("--query-gpu=name,memory.total", "--format=csv,noheader")?.Split('\n')[0].Trim();

    /// <summary>GPU memory held by one process (MB), from the compute-apps list.</summary>
    public static int? ProcessMemoryMb(int pid)
    {
        var text = Query("--query-compute-apps=pid,used_memory", "--format=csv,noheader,nounits");
        if (text is null)
        {
            return null;
        }

        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(',', StringSplitOptions.TrimEntries);
            if (parts.Length == 2 && parts[0] == pid.ToString(CultureInfo.InvariantCulture) && int.TryParse(parts[1], CultureInfo.InvariantCulture, out var mb))
            {
                return mb;
            }
        }

        return 0;
    }

    public static int? TotalMemoryUsedMb() =>
        int.TryParse(Query("--query-gpu=memory.used", "--format=csv,noheader,nounits")?.Split('\n')[0].Trim(), CultureInfo.InvariantCulture, out var mb) ? mb : null;

    private static string? Query(params string[] arguments)
    {
        try
        {
            var start = new ProcessStartInfo("nvidia-smi") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start);
            if (process is null)
            {
                return null;
            }

            var text = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? text : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // no nvidia-smi on PATH: no NVIDIA driver
        }
    }
}
