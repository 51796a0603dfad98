namespace Landslide.Pipeline.Runs;

/// <summary>Where a run stands. Stable strings: they appear in table "runs" and in GET /api/runs/{scene}.</summary>
public static class RunStatus
{
    /// <summary>Recorded; chunk messages are being enqueued.</summary>
    public const string Planning = "planning";

    /// <summary>Chunks are queued or being mapped.</summary>
    public const string Running = "running";

    /// <summary>Every chunk is done; the finalizer is writing results.</summary>
    public const string Finalizing = "finalizing";

    public const string Completed = "completed";

    /// <summary>The scene was refused (error.json written); not retried.</summary>
    public const string Rejected = "rejected";

    /// <summary>A message kept failing and went to the poison queue; Reason says why.</summary>
    public const string Failed = "failed";

    /// <summary>The scene blob changed while this run was working; a newer run owns results/{scene}/.</summary>
    public const string Superseded = "superseded";

    /// <summary>Not stored: how a running or finalizing run with a stalled part is shown (GET /api/runs, serve status).</summary>
    public const string Stalled = "stalled";

    public static bool IsFinal(string status) => status is Completed or Rejected or Failed or Superseded;
}
