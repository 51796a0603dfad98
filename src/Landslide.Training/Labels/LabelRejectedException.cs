using Landslide.Core;

namespace Landslide.Training.Labels;

/// <summary>A labelled pair was refused; <see cref="Code"/> says why, the message names the file and the fix.</summary>
public sealed class LabelRejectedException : Exception, IRejectedInput
{
    public LabelRejectedException(LabelError code, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Code = code;
    }

    public LabelRejectedException()
        : this(LabelError.UnreadableLabels, "labels refused")
    {
    }

    public LabelRejectedException(string message)
        : this(LabelError.UnreadableLabels, message)
    {
    }

    public LabelRejectedException(string message, Exception innerException)
        : this(LabelError.UnreadableLabels, message, innerException)
    {
    }

    public LabelError Code { get; }

    string IRejectedInput.Rejection => "labels rejected";

    string IRejectedInput.Code => Code.ToString();
}
